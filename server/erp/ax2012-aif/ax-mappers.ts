import type {
  ErpCustomer, ErpCustomerFinance, ErpDocument, ErpDocumentKind, ErpOrderLineState, ErpOrderState, ErpOrderStatus, ErpPrice, ErpPriceType,
  ErpProduct, ErpProductGroup, ErpRef, ErpStock, ErpWarehouse,
} from '../port.js';
import { addDecimals, multiplyDecimals, toDecimal, type DecimalString } from '../../lib/decimal.js';
import { list, obj, str, yes, type XmlObject } from './aif-xml.js';

/**
 * Pure mappers from AX 2012 AIF documents (AxdSalesOrder, AxdCustomer, AxdItem) and our custom services' data contracts
 * (CUSTOM-SERVICES.md) to the port's normalized types. Field names: the MicrosoftDocs AIF examples in
 * ../shared/fixtures/erp/ax2012-aif_*.xml and the AX 2012 table fields (SalesTable, SalesLine, CustTable, InventTable).
 */

const ref = (erpId: string, code?: string): ErpRef => (code ? { erpId, code } : { erpId });
const dec = (v: unknown, fallback = '0'): DecimalString => toDecimal(str(v) ?? fallback);
const day = (v: unknown) => str(v)?.slice(0, 10);

/** SalesTable.SalesStatus + DocumentStatus → normalized status (AX has no separate "posted" for orders). */
export function axOrderStatus(salesStatus: string | undefined, documentStatus: string | undefined): ErpOrderStatus {
  switch (salesStatus) {
    case 'Canceled':
      return 'cancelled';
    case 'Invoiced':
      return 'invoiced';
    case 'Delivered':
      return 'shipped';
    default:
      break;
  }
  switch (documentStatus) {
    case 'PickingList':
      return 'in_fulfilment';
    case 'PackingSlip':
    case 'ProjectPackingSlip':
      return 'shipped';
    case 'Invoice':
    case 'ProjectInvoice':
      return 'invoiced';
    default:
      // An open order (Backorder) is accepted by AX; a document without any status was never saved in AX.
      return salesStatus === undefined && documentStatus === undefined ? 'draft' : 'confirmed';
  }
}

const POSTED_DOCUMENT_STATUSES = new Set(['Confirmation', 'PickingList', 'PackingSlip', 'ProjectPackingSlip', 'Invoice', 'ProjectInvoice']);

export function mapSalesTable(t: XmlObject): ErpOrderState {
  const salesStatus = str(t['SalesStatus']);
  const documentStatus = str(t['DocumentStatus']);
  const salesId = str(t['SalesId']) ?? '';
  const cancelled = salesStatus === 'Canceled';
  const lines: ErpOrderLineState[] = list(t['SalesLine']).map((l, k) => {
    const lineNum = Number.parseFloat(str(l['LineNum']) ?? '');
    return {
      lineNo: Number.isFinite(lineNum) && lineNum > 0 ? Math.round(lineNum) : k + 1,
      productRef: ref(str(l['ItemId']) ?? ''),
      qty: dec(l['SalesQty']),
      price: dec(l['SalesPrice']),
      reserved: '0',
      waiting: '0',
      cancelled: cancelled || str(l['SalesStatus']) === 'Canceled',
    };
  });
  const amounts = list(t['SalesLine']).map((l, k) => str(l['LineAmount']) ?? multiplyDecimals(lines[k]?.qty ?? '0', lines[k]?.price ?? '0'));
  const state: ErpOrderState = {
    externalId: str(t['PurchOrderFormNum']) ?? str(t['CustomerRef']) ?? null,
    erpRef: ref(salesId, salesId || undefined),
    number: salesId,
    status: axOrderStatus(salesStatus, documentStatus),
    rawStatus: [salesStatus ?? 'None', documentStatus].filter(Boolean).join('/'),
    posted: POSTED_DOCUMENT_STATUSES.has(documentStatus ?? '') || salesStatus === 'Delivered' || salesStatus === 'Invoiced',
    lines,
  };
  // A total only when AX priced the lines (an inbound create request without prices has none yet).
  const priced = list(t['SalesLine']).every((l) => str(l['LineAmount']) !== undefined || str(l['SalesPrice']) !== undefined);
  if (lines.length && priced) state.total = addDecimals(amounts.map((a, k) => (lines[k]?.cancelled ? '0' : a)));
  const modified = str(t['ModifiedDateTime']);
  if (modified) state.updatedAt = modified;
  return state;
}

export function mapCustTable(t: XmlObject): ErpCustomer {
  const account = str(t['AccountNum']) ?? '';
  const party = obj(t['DirParty']);
  const c: ErpCustomer = { ref: ref(account), name: str(party?.['Name']) ?? str(t['Name']) ?? account, priceTypeRef: str(t['PriceGroup']) ? ref(str(t['PriceGroup']) as string) : null };
  const inn = str(t['INN_RU']);
  const kpp = str(t['KPP_RU']);
  if (inn) c.inn = inn;
  if (kpp) c.kpp = kpp;
  return c;
}

export function mapInventTable(t: XmlObject): ErpProduct {
  const itemId = str(t['ItemId']) ?? '';
  const translation = obj(t['EcoResProductTranslation']);
  const modules = list(t['InventTableModule']);
  const invent = modules.find((m) => str(m['ModuleType']) === 'Invent');
  const sales = modules.find((m) => str(m['ModuleType']) === 'Sales');
  const p: ErpProduct = {
    ref: ref(itemId, str(t['Product'])),
    sku: itemId,
    name: str(translation?.['Name']) ?? str(t['NameAlias']) ?? itemId,
    groupRef: str(t['SalesCategory']) ? ref(str(t['SalesCategory']) as string) : null,
    baseUnit: { name: str(invent?.['UnitId']) ?? str(sales?.['UnitId']) ?? 'шт', ratio: '1' },
    deleted: yes(obj(t['InventItemSalesSetup'])?.['Stopped']),
  };
  const barcodes = list(t['InventItemBarcode']).map((b) => str(b['ItemBarCode'])).filter((b): b is string => Boolean(b));
  if (barcodes.length) p.barcodes = barcodes;
  const description = str(translation?.['Description']);
  if (description) p.description = description;
  const vat = /(\d+(?:[.,]\d+)?)/.exec(str(sales?.['TaxItemGroupId']) ?? '')?.[1];
  if (vat) p.vatRate = toDecimal(vat);
  const version = str(t['RecVersion']);
  if (version) p.version = version;
  return p;
}

export const mapCategory = (c: XmlObject): ErpProductGroup => ({
  ref: ref(str(c['Code']) ?? ''),
  name: str(c['Name']) ?? str(c['Code']) ?? '',
  parentRef: str(c['ParentCode']) ? ref(str(c['ParentCode']) as string) : null,
});

export function mapWarehouse(w: XmlObject): ErpWarehouse {
  const out: ErpWarehouse = { ref: ref(str(w['InventLocationId']) ?? ''), name: str(w['Name']) ?? str(w['InventLocationId']) ?? '' };
  const city = str(w['City']);
  const address = str(w['Address']);
  if (city) out.city = city;
  if (address) out.address = address;
  return out;
}

export const mapPriceGroup = (g: XmlObject): ErpPriceType => ({
  ref: ref(str(g['GroupId']) ?? ''),
  name: str(g['Name']) ?? str(g['GroupId']) ?? '',
  currency: str(g['Currency']) ?? 'RUB',
  vatIncluded: yes(g['InclTax']),
});

export function mapPrice(p: XmlObject): ErpPrice {
  const out: ErpPrice = { productRef: ref(str(p['ItemId']) ?? ''), priceTypeRef: ref(str(p['PriceGroupId']) ?? ''), price: dec(p['Amount']), currency: str(p['Currency']) ?? 'RUB' };
  const from = day(p['FromDate']);
  if (from) out.validFrom = `${from}T00:00:00`;
  return out;
}

export function mapOnhand(l: XmlObject): ErpStock {
  const out: ErpStock = {
    productRef: ref(str(l['ItemId']) ?? ''),
    warehouseRef: ref(str(l['InventLocationId']) ?? ''),
    onHand: dec(l['PhysicalInvent']),
    reserved: dec(l['ReservPhysical']),
    available: dec(l['AvailPhysical']),
  };
  const expectedQty = str(l['ExpectedQty']);
  if (expectedQty && Number(expectedQty) !== 0) {
    out.expected = { qty: toDecimal(expectedQty) };
    const date = day(l['ExpectedDate']);
    if (date) out.expected.date = date;
  }
  return out;
}

export function mapFinance(f: XmlObject): ErpCustomerFinance {
  const limit = str(f['CreditMax']);
  const out: ErpCustomerFinance = {
    customerRef: ref(str(f['AccountNum']) ?? ''),
    currency: str(f['CurrencyCode']) ?? 'RUB',
    debt: dec(f['Balance']),
    overdue: dec(f['OverdueAmount']),
    creditLimit: limit === undefined ? null : toDecimal(limit),
    creditLimitEnforced: yes(f['MandatoryCreditLimit']),
    asOf: str(f['AsOf']) ?? new Date().toISOString(),
  };
  const overdueDays = str(f['OverdueDays']);
  const term = str(f['PaymTermDays']);
  if (overdueDays !== undefined) out.overdueDays = Number(overdueDays);
  if (term !== undefined) out.paymentTermDays = Number(term);
  return out;
}

const DOCUMENT_KIND: Record<string, ErpDocumentKind> = { Invoice: 'invoice', FreeTextInvoice: 'invoice', PackingSlip: 'waybill', CreditNote: 'credit-note', Payment: 'payment' };

export function mapCustDocument(d: XmlObject): ErpDocument {
  const id = str(d['DocumentId']) ?? '';
  const salesId = str(d['SalesId']);
  return {
    ref: ref(id, id),
    kind: DOCUMENT_KIND[str(d['DocumentType']) ?? ''] ?? 'invoice',
    number: id,
    date: `${day(d['DocumentDate']) ?? ''}T00:00:00`,
    customerRef: ref(str(d['AccountNum']) ?? ''),
    amount: dec(d['Amount']),
    currency: str(d['CurrencyCode']) ?? 'RUB',
    orderRef: salesId ? ref(salesId) : null,
    orderExternalId: str(d['PurchOrderFormNum']) ?? null,
    posted: true,
    hasFile: false,
  };
}
