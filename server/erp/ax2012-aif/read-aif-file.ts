import { XMLValidator } from 'fast-xml-parser';
import type { ErpCustomer, ErpDocument, ErpOrderState, InboundBatches } from '../port.js';
import { aifParser, isObject, list, obj, str, type XmlObject } from './aif-xml.js';
import {
  mapCategory, mapCustDocument, mapCustTable, mapInventTable, mapOnhand, mapPrice, mapPriceGroup, mapSalesTable, mapWarehouse,
} from './ax-mappers.js';

/**
 * Reading saved AIF messages (the AIF message envelope of file/MSMQ adapters, or SOAP envelopes of the HTTP adapter),
 * for the inspect CLI and tests. The MicrosoftDocs examples in ../shared/fixtures/erp/ax2012-aif_*.xml are not
 * well-formed as published (SOURCES.md): the doc wrapped namespace URIs, MessageId and Action "for readability", dropped
 * the `>` of the last `</Envelope`, put two messages in one file, and indents the XML declaration. Those documented
 * artefacts are repaired before parsing; anything else malformed is reported with its line and column.
 */

export class AifFileError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
    this.name = 'AifFileError';
  }
}

/** Repairs the documentation artefacts; returns one text per message in the file. */
export function normalizeAifText(text: string): string[] {
  let t = text.replace(/^\uFEFF/, '');
  // Attribute values (namespace URIs) broken over lines: the break and the indentation were added, not part of the value.
  t = t.replace(/\s*=\s*"([^"]*)"/g, (_m, v: string) => `="${v.replace(/\s*[\r\n]\s*/g, '')}"`);
  // Element text of ids and action URIs broken over lines.
  t = t.replace(/<((?:\w+:)?(?:MessageId|RequestMessageId|Action))>([^<]*)<\/\1>/g, (_m, n: string, v: string) => `<${n}>${v.replace(/\s+/g, '')}</${n}>`);
  // The published read example ends with "</Envelope" (no ">").
  t = t.replace(/<\/((?:\w+:)?Envelope)\s*$/, '</$1>');
  // Several messages in one file, each starting with its XML declaration; text before the first (a comment) is dropped.
  const parts = t.split(/(?=<\?xml\b)/).map((p) => p.trim()).filter((p) => p.startsWith('<?xml'));
  return parts.length ? parts : [t.trim()];
}

type Found = Record<string, XmlObject[]>;

const WANTED = new Set(['SalesTable', 'CustTable', 'InventTable', 'EntityKeyList', 'DhCategory', 'DhWarehouse', 'DhPriceGroup', 'DhPrice', 'DhOnhandLine', 'DhCustDocument']);

function collect(node: unknown, found: Found): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, found);
    return;
  }
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_')) continue;
    if (WANTED.has(k)) {
      (found[k] ??= []).push(...list(v));
      if (k !== 'EntityKeyList') continue;
    }
    collect(v, found);
  }
}

export interface AifFileContent extends Partial<InboundBatches> {
  customers: ErpCustomer[];
  orderLines: unknown[];
  documents: ErpDocument[];
}

export function readAifText(text: string): AifFileContent {
  const out: AifFileContent = { customers: [], orderLines: [], documents: [], orderStates: [], products: [], groups: [], warehouses: [], priceTypes: [], prices: [], stock: [] };
  const byRequest = new Map<string, ErpOrderState[]>();
  for (const doc of normalizeAifText(text)) {
    const valid = XMLValidator.validate(doc);
    if (valid !== true) throw new AifFileError(`malformed XML at ${valid.err.line}:${valid.err.col}: ${valid.err.msg}`, valid.err.line, valid.err.col);
    const parsed = aifParser.parse(doc) as XmlObject;
    const envelope = obj(parsed['Envelope']);
    const header = obj(envelope?.['Header']);
    const message = { messageId: str(header?.['MessageId']) ?? str(obj(header?.['CallContext'])?.['MessageId']), requestMessageId: str(header?.['RequestMessageId']), action: str(header?.['Action']) };
    const found: Found = {};
    collect(envelope?.['Body'] ?? parsed, found);
    const orders = (found['SalesTable'] ?? []).map(mapSalesTable);
    out.orderStates?.push(...orders);
    if (message.messageId && orders.length) byRequest.set(message.messageId, orders);
    // An outbound EntityKeyList answers a request: it names the SalesId AX gave the order of that request.
    const keys = (found['EntityKeyList'] ?? []).flatMap((l) => list(l['EntityKey'])).flatMap((k) => list(obj(k['KeyData'])?.['KeyField']));
    const salesId = keys.find((f) => str(f['Field']) === 'SalesId');
    const answered = message.requestMessageId ? byRequest.get(message.requestMessageId) : undefined;
    if (salesId && answered?.[0]) {
      const id = str(salesId['Value']) ?? '';
      Object.assign(answered[0], { erpRef: { erpId: id, code: id }, number: id });
    }
    out.customers.push(...(found['CustTable'] ?? []).map(mapCustTable));
    out.products?.push(...(found['InventTable'] ?? []).map(mapInventTable));
    out.groups?.push(...(found['DhCategory'] ?? []).map(mapCategory));
    out.warehouses?.push(...(found['DhWarehouse'] ?? []).map(mapWarehouse));
    out.priceTypes?.push(...(found['DhPriceGroup'] ?? []).map(mapPriceGroup));
    out.prices?.push(...(found['DhPrice'] ?? []).map(mapPrice));
    out.stock?.push(...(found['DhOnhandLine'] ?? []).map(mapOnhand));
    out.documents.push(...(found['DhCustDocument'] ?? []).map(mapCustDocument));
  }
  out.orderLines = (out.orderStates ?? []).flatMap((s) => (s.lines ?? []).map((l) => ({ orderExternalId: s.externalId ?? null, orderNumber: s.number, ...l })));
  return out;
}

/** True when the first bytes look like an AIF message, an AIF SOAP answer or an X++ custom service answer (namespace URIs may be wrapped). */
export function looksLikeAif(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/\s+/g, '');
  return /^(<!--.*?-->)*<\?xml|^</.test(text) && (text.includes('schemas.microsoft.com/dynamics/') || text.includes('schemas.datacontract.org/2004/07/Dynamics.Ax.Application'));
}
