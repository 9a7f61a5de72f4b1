import iconv from 'iconv-lite';
import type { PayloadFormat } from '../payload-format.js';
import type { ErpCustomer, InboundBatches } from '../port.js';
import { parseCommerceMl, CML_ROOT } from './parse-commerceml.js';
import { detectXmlEncoding } from './xml-stream.js';

/**
 * CommerceML files for `npm run erp -- inspect <file>`: import.xml, offers.xml, prices.xml, rests.xml, documents.xml of
 * any 2.x or 3.x version, UTF-8 or windows-1251 (zip archives are opened by the inspector and each entry comes here).
 */

function detectCommerceMl(head: Buffer): string | null {
  let encoding: string;
  try {
    encoding = detectXmlEncoding(head);
  } catch {
    return null;
  }
  const text = iconv.decode(head, encoding);
  const root = new RegExp(`<(?:\\w+:)?${CML_ROOT}(?=[\\s>/])([^>]*)>?`).exec(text);
  if (!root) return null;
  const attrs = root[1] ?? '';
  const version = /ВерсияСхемы\s*=\s*["']([^"']+)["']/.exec(attrs)?.[1]?.trim();
  if (version) return `commerceml-${version}`;
  return attrs.includes('commerceml_3') ? 'commerceml-3' : 'commerceml-2';
}

export async function readCommerceMlFile(filePath: string): Promise<Partial<InboundBatches> & { customers: ErpCustomer[]; orderLines: unknown[] }> {
  const out: Required<InboundBatches> & { customers: ErpCustomer[]; orderLines: unknown[] } = {
    groups: [], products: [], priceTypes: [], prices: [], warehouses: [], stock: [], orderStates: [], customers: [], orderLines: [],
  };
  await parseCommerceMl(
    filePath,
    async (event, items) => {
      (out[event] as unknown[]).push(...items);
    },
    { onCustomers: (c) => out.customers.push(...c) },
  );
  out.orderLines = out.orderStates.flatMap((s) => (s.lines ?? []).map((l) => ({ orderExternalId: s.externalId ?? null, orderNumber: s.number, ...l })));
  return out;
}

export const commerceMlFormats: PayloadFormat[] = [
  {
    id: 'commerceml',
    detect: (head) => detectCommerceMl(head),
    read: (filePath) => readCommerceMlFile(filePath),
  },
];
