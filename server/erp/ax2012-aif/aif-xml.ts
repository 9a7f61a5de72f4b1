import { XMLParser } from 'fast-xml-parser';

/**
 * Parsing of AIF answers with fast-xml-parser: namespace prefixes dropped, every value kept as text (quantities and
 * amounts stay decimal strings), repeated elements always arrays. Helpers read the result without `any`.
 */

const ARRAYS = new Set([
  'SalesTable', 'SalesLine', 'CustTable', 'InventTable', 'InventItemBarcode', 'InventTableModule', 'EcoResProductTranslation',
  'EntityKey', 'KeyField', 'CriteriaElement', 'FaultMessageList', 'FaultMessage', 'ArrayOfFaultMessageList', 'string',
  'DhCategory', 'DhWarehouse', 'DhPriceGroup', 'DhPrice', 'DhOnhandLine', 'DhCustFinance', 'DhCustDocument', 'DirPartyPostalAddressView',
]);

export const aifParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

export type XmlObject = Record<string, unknown>;

export const isObject = (v: unknown): v is XmlObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of a parsed element (plain string, or `#text` of an element with attributes); undefined when nil/absent/empty. */
export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (isObject(v)) {
    if (v['@_nil'] === 'true') return undefined;
    return str(v['#text']);
  }
  return undefined;
}

export function obj(v: unknown): XmlObject | undefined {
  if (Array.isArray(v)) return obj(v[0]);
  return isObject(v) ? v : undefined;
}

export function list(v: unknown): XmlObject[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter(isObject);
}

/** Walks a path of element names; arrays take their first item. */
export function at(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const p of path) {
    const o = obj(cur);
    if (!o) return undefined;
    cur = o[p];
  }
  return cur;
}

export const yes = (v: unknown) => /^(yes|true|1)$/i.test(str(v) ?? '');
