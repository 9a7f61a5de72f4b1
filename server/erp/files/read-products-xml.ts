import type { Readable } from 'node:stream';
import type { ErpProduct, ErpUnit } from '../port.js';
import { toDecimal } from '../../lib/decimal.js';
import { all, child, isTrue, text, type XNode } from '../onec-commerceml/xml-node.js';
import { streamXmlRecords } from '../onec-commerceml/xml-stream.js';

/** products.xml of the drop folder (FORMAT.md): `<products><product id=…>…</product></products>`, streamed. */

export const FILES_XML_NS = 'urn:dealerhub:erp-files:1';

export class NotDropFolderXmlError extends Error {
  constructor(root: string) {
    super(`not a drop-folder products.xml: the root element is <${root}>, expected <products>`);
    this.name = 'NotDropFolderXmlError';
  }
}

export function mapProductElement(n: XNode): ErpProduct {
  const id = n.attrs['id']?.trim();
  if (!id) throw new Error('<product> without id');
  const name = text(n, 'name');
  if (!name) throw new Error(`product ${id}: <name> is required`);
  const unit = child(n, 'unit');
  const baseUnit: ErpUnit = { name: unit?.text.trim() || 'шт', ratio: '1' };
  if (unit?.attrs['code']) baseUnit.code = unit.attrs['code'];
  const p: ErpProduct = {
    ref: n.attrs['code'] ? { erpId: id, code: n.attrs['code'] } : { erpId: id },
    name,
    groupRef: n.attrs['group'] ? { erpId: n.attrs['group'] } : null,
    baseUnit,
    deleted: isTrue(n.attrs['deleted']),
  };
  if (n.attrs['sku']) p.sku = n.attrs['sku'];
  if (n.attrs['version']) p.version = n.attrs['version'];
  const fullName = text(n, 'fullName');
  if (fullName) p.fullName = fullName;
  const brand = text(n, 'brand');
  if (brand) p.brand = brand;
  const description = text(n, 'description');
  if (description) p.description = description;
  const vat = text(n, 'vatRate');
  if (vat) p.vatRate = toDecimal(vat);
  const barcodes = all(n, 'barcode').map((b) => b.text.trim()).filter(Boolean);
  if (barcodes.length) p.barcodes = barcodes;
  const packs = all(n, 'pack').map((k) => ({ name: k.text.trim(), ratio: toDecimal(k.attrs['ratio'] ?? '') }));
  if (packs.length) p.packUnits = packs;
  const props = all(n, 'property').map((x) => ({ id: x.attrs['id'] ?? x.attrs['name'] ?? '', name: x.attrs['name'] ?? '', value: x.text.trim() }));
  if (props.length) p.properties = props;
  const analogs = all(n, 'analog').map((a) => ({ erpId: a.attrs['id'] ?? '' })).filter((a) => a.erpId);
  if (analogs.length) p.analogRefs = analogs;
  const pictures = all(n, 'picture').map((x) => x.text.trim()).filter(Boolean);
  if (pictures.length) p.pictures = pictures;
  return p;
}

export async function readProductsXml(source: string | Readable, onProduct: (p: ErpProduct) => void, fileName?: string): Promise<void> {
  await streamXmlRecords(
    source,
    {
      isRecord: (path) => {
        if (path.length === 1 && path[0] !== 'products') throw new NotDropFolderXmlError(path[0] as string);
        return path.length === 2 && path[1] === 'product';
      },
      onRecord: (_path, node) => onProduct(mapProductElement(node)),
    },
    fileName ? { fileName } : {},
  );
}
