import Papa from 'papaparse';
import type { SubmitOrder } from '../port.js';
import { multiplyDecimals } from '../../lib/decimal.js';
import { escapeXml } from '../onec-commerceml/xml-text.js';
import { FILES_XML_NS } from './read-products-xml.js';

/**
 * An order for the ERP, as two files in `out/` (FORMAT.md): a CSV with one row per line (UTF-8 with BOM, `;`, as
 * Excel on Russian Windows opens it) and the same order as XML. Both carry our external id.
 */

/** A file-name-safe form of an id or number. */
export const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9А-Яа-яЁё.-]+/g, '_').slice(0, 80);

/** `order_<number>__<external id>`: the external id is the part after the double underscore. */
export function orderFileBase(cmd: Pick<SubmitOrder, 'externalId' | 'number'>): string {
  return `order_${fileSafe(cmd.number)}__${fileSafe(cmd.externalId)}`;
}

export function renderOrderCsv(cmd: SubmitOrder, createdAt: string): Buffer {
  const rows = cmd.lines.map((l, k) => ({
    external_id: cmd.externalId,
    number: cmd.number,
    created_at: createdAt,
    customer_id: cmd.customerRef.erpId,
    agreement_id: cmd.agreementRef?.erpId ?? '',
    organization_id: cmd.organizationRef?.erpId ?? '',
    warehouse_id: cmd.warehouseRef?.erpId ?? '',
    price_type_id: cmd.priceTypeRef?.erpId ?? '',
    currency: cmd.currency,
    desired_date: cmd.desiredDate ?? '',
    delivery_address: cmd.deliveryAddress ?? '',
    comment: cmd.comment ?? '',
    post: cmd.post ? '1' : '0',
    line_no: String(k + 1),
    product_id: l.productRef.erpId,
    variant_id: l.variantRef?.erpId ?? '',
    qty: l.qty,
    price: l.price,
    unit: l.unit ?? '',
    amount: multiplyDecimals(l.qty, l.price),
  }));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(Papa.unparse(rows, { delimiter: ';', newline: '\r\n' }) + '\r\n', 'utf8')]);
}

export function renderOrderXml(cmd: SubmitOrder, createdAt: string): Buffer {
  const a = (name: string, v: string | undefined) => (v ? ` ${name}="${escapeXml(v)}"` : '');
  const e = (name: string, v: string | undefined) => (v ? `<${name}>${escapeXml(v)}</${name}>` : '');
  const xml = '<?xml version="1.0" encoding="utf-8"?>\n'
    + `<order xmlns="${FILES_XML_NS}"${a('externalId', cmd.externalId)}${a('number', cmd.number)}${a('createdAt', createdAt)}${a('post', cmd.post ? 'true' : 'false')}>\n`
    + `  <customer${a('id', cmd.customerRef.erpId)}/>\n`
    + (cmd.agreementRef ? `  <agreement${a('id', cmd.agreementRef.erpId)}/>\n` : '')
    + (cmd.organizationRef ? `  <organization${a('id', cmd.organizationRef.erpId)}/>\n` : '')
    + (cmd.warehouseRef ? `  <warehouse${a('id', cmd.warehouseRef.erpId)}/>\n` : '')
    + (cmd.priceTypeRef ? `  <priceType${a('id', cmd.priceTypeRef.erpId)}/>\n` : '')
    + `  ${e('currency', cmd.currency)}${e('desiredDate', cmd.desiredDate)}${e('deliveryAddress', cmd.deliveryAddress)}${e('comment', cmd.comment)}\n`
    + '  <lines>\n'
    + cmd.lines.map((l, k) => `    <line${a('no', String(k + 1))}${a('product', l.productRef.erpId)}${a('variant', l.variantRef?.erpId)}${a('qty', l.qty)}${a('price', l.price)}${a('unit', l.unit)}${a('amount', multiplyDecimals(l.qty, l.price))}/>\n`).join('')
    + '  </lines>\n</order>\n';
  return Buffer.from(xml, 'utf8');
}
