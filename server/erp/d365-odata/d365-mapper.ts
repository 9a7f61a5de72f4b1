import { addDecimals, dec, multiplyDecimals, toDecimal, type DecimalString } from '../../lib/decimal.js';
import type {
  ErpCustomer, ErpDocument, ErpOrderLineState, ErpOrderState, ErpOrderStatus, ErpPrice, ErpPriceType, ErpProduct, ErpProductGroup, ErpRef, ErpStock,
  ErpUnit, ErpWarehouse, SubmitOrder,
} from '../port.js';
import { companyRef } from './d365-query.js';

/**
 * Pure mapping between D365 F&O data entities (OData v4 JSON) and the port's normalized types. ErpRef ids of
 * company records are "dataAreaId|key" (server/erp/port.ts); categories, shared by companies, "hierarchy|category".
 */

export type D365Row = Record<string, unknown>;

const s = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown, scale?: number): DecimalString => toDecimal(v === null || v === undefined || v === '' ? 0 : (v as string | number), scale);
const ref = (company: string, key: unknown, code = true): ErpRef => (code ? { erpId: companyRef(company, s(key)), code: s(key) } : { erpId: companyRef(company, s(key)) });

/** F&O's "never" date (1900-01-01) means no date. */
export const dateOf = (v: unknown): string | null => (s(v) === '' || s(v).startsWith('1900-01-01') ? null : s(v));

/** Sales tax item group codes such as "НДС20", "VAT20", "RU_20" → "20". */
export function vatRateOfTaxGroup(code: unknown): DecimalString | undefined {
  const m = /(\d+(?:[.,]\d+)?)\s*%?$/.exec(s(code));
  return m ? toDecimal(m[1]) : undefined;
}

export interface D365ProductContext {
  company: string;
  hierarchy: string;
  name?: string;
  description?: string;
  category?: string;
  barcodes?: string[];
  packs?: ErpUnit[];
  obsoleteStates: string[];
}

export function mapReleasedProduct(row: D365Row, ctx: D365ProductContext): ErpProduct {
  const p: ErpProduct = {
    ref: ref(ctx.company, row.ItemNumber),
    sku: s(row.ItemNumber),
    name: ctx.name ?? s(row.SearchName),
    groupRef: ctx.category ? { erpId: `${ctx.hierarchy}|${ctx.category}` } : null,
    baseUnit: { name: s(row.InventoryUnitSymbol), ratio: '1' },
    deleted: ctx.obsoleteStates.includes(s(row.ProductLifecycleStateId)),
  };
  if (ctx.description) p.description = ctx.description;
  if (ctx.barcodes) p.barcodes = ctx.barcodes;
  if (ctx.packs) p.packUnits = ctx.packs;
  const vat = vatRateOfTaxGroup(row.SalesSalesTaxItemGroupCode);
  if (vat !== undefined) p.vatRate = vat;
  return p;
}

/** A unit conversion (1 FromUnit = Factor ToUnit) as a pack of the base unit. */
export function mapConversion(row: D365Row): ErpUnit {
  const factor = num(row.Factor);
  const numerator = num(row.Numerator ?? 1);
  const denominator = num(row.Denominator ?? 1);
  const ratio = numerator === '1' && denominator === '1' ? factor : toDecimal(dec(factor).times(numerator).div(denominator).toDecimalPlaces(6));
  return { name: s(row.FromUnitSymbol), ratio };
}

export function mapCategory(row: D365Row): ErpProductGroup {
  const h = s(row.ProductCategoryHierarchyName);
  const parent = s(row.ParentProductCategoryName);
  return { ref: { erpId: `${h}|${s(row.ProductCategoryName)}`, code: s(row.ProductCategoryCode) }, name: s(row.ProductCategoryName), parentRef: parent ? { erpId: `${h}|${parent}` } : null };
}

export function mapWarehouse(row: D365Row): ErpWarehouse {
  const w: ErpWarehouse = { ref: ref(s(row.dataAreaId), row.WarehouseId), name: s(row.WarehouseName) };
  if (s(row.PrimaryAddressCity)) w.city = s(row.PrimaryAddressCity);
  if (s(row.FormattedPrimaryAddress)) w.address = s(row.FormattedPrimaryAddress);
  return w;
}

export function mapPriceGroup(row: D365Row, currency: string, vatIncluded: boolean): ErpPriceType {
  return { ref: ref(s(row.dataAreaId), row.GroupCode), name: s(row.GroupName) || s(row.GroupCode), currency, vatIncluded };
}

/** A trade agreement line (SalesPriceAgreements) for a customer price group. */
export function mapAgreement(row: D365Row): ErpPrice {
  const company = s(row.dataAreaId);
  const price: ErpPrice = {
    productRef: { erpId: companyRef(company, s(row.ItemNumber)) },
    priceTypeRef: { erpId: companyRef(company, s(row.PriceCustomerGroupCode)) },
    price: num(row.Price, 2),
    currency: s(row.PriceCurrencyCode) || 'RUB',
  };
  const from = dateOf(row.PriceApplicableFromDate);
  if (from) price.validFrom = from;
  const per = num(row.SalesPriceQuantity ?? 1);
  if (per !== '1' && per !== '0') price.price = toDecimal(dec(price.price).div(per), 2);
  return price;
}

/** WarehousesOnHandV2: one row per item, product dimensions and warehouse. */
export function mapOnHand(row: D365Row): ErpStock {
  const company = s(row.dataAreaId);
  const item = s(row.ItemNumber);
  const dims = [row.ProductConfigurationId, row.ProductColorId, row.ProductSizeId, row.ProductStyleId].map(s);
  const st: ErpStock = {
    productRef: { erpId: companyRef(company, item) },
    warehouseRef: { erpId: companyRef(company, s(row.InventoryWarehouseId)) },
    onHand: num(row.OnHandQuantity),
    reserved: num(row.ReservedOnHandQuantity),
    available: num(row.AvailableOnHandQuantity),
  };
  if (dims.some(Boolean)) st.variantRef = { erpId: `${companyRef(company, item)}|${dims.join('|')}` };
  const ordered = num(row.OrderedQuantity);
  if (Number(ordered) > 0) st.expected = { qty: ordered };
  return st;
}

export function mapCustomer(row: D365Row): ErpCustomer {
  const company = s(row.dataAreaId);
  const c: ErpCustomer = { ref: ref(company, row.CustomerAccount), name: s(row.OrganizationName) || s(row.NameAlias) };
  if (s(row.TaxExemptNumber)) c.inn = s(row.TaxExemptNumber);
  c.priceTypeRef = s(row.DiscountPriceGroupId) ? { erpId: companyRef(company, s(row.DiscountPriceGroupId)) } : null;
  return c;
}

/** "Net30" → 30: F&O payment terms are codes; only the common NetN pattern says its days. */
export function paymentDaysOf(code: unknown): number | undefined {
  const m = /^Net\s*(\d+)$/i.exec(s(code).trim());
  return m ? Number(m[1]) : undefined;
}

/** SalesOrderStatus (+ processing status, + whether its invoices are settled) → normalized status. */
export function orderStatusOf(h: D365Row, invoicesOpen: boolean | undefined): { status: ErpOrderStatus; raw: string } {
  const status = s(h.SalesOrderStatus);
  const processing = s(h.SalesOrderProcessingStatus);
  const raw = processing ? `${status}/${processing}` : status;
  switch (status) {
    case 'Canceled':
      return { status: 'cancelled', raw };
    case 'Invoiced':
      return { status: invoicesOpen === false ? 'closed' : 'invoiced', raw };
    case 'Delivered':
      return { status: 'shipped', raw };
    default:
      if (processing === 'Confirmed') return { status: 'confirmed', raw };
      if (processing === 'PickingListPrinted' || processing === 'PartiallyDelivered') return { status: 'in_fulfilment', raw };
      return { status: 'draft', raw };
  }
}

export function mapOrderState(h: D365Row, lines: D365Row[], invoicesOpen: boolean | undefined): ErpOrderState {
  const company = s(h.dataAreaId);
  const { status, raw } = orderStatusOf(h, invoicesOpen);
  const sorted = [...lines].sort((a, b) => Number(a.LineNumber) - Number(b.LineNumber));
  const mapped: ErpOrderLineState[] = sorted.map((l) => ({
    lineNo: Number(l.LineNumber),
    productRef: { erpId: companyRef(company, s(l.ItemNumber)) },
    qty: num(l.OrderedSalesQuantity),
    price: num(l.SalesPrice, 2),
    reserved: '0',
    waiting: '0',
    cancelled: s(l.SalesOrderLineStatus) === 'Canceled',
  }));
  const total = addDecimals(sorted.filter((l) => s(l.SalesOrderLineStatus) !== 'Canceled')
    .map((l) => (l.LineAmount === undefined ? multiplyDecimals(num(l.OrderedSalesQuantity), num(l.SalesPrice)) : num(l.LineAmount, 2))));
  return {
    externalId: s(h.CustomersOrderReference) || null,
    erpRef: ref(company, h.SalesOrderNumber),
    number: s(h.SalesOrderNumber),
    status,
    rawStatus: raw,
    // F&O does not post orders; "posted" means a document was posted for it (confirmation or later).
    posted: status !== 'draft',
    lines: mapped,
    total,
  };
}

export function mapInvoice(row: D365Row, externalIds: Map<string, string | null>): ErpDocument {
  const company = s(row.dataAreaId);
  const order = s(row.SalesOrderNumber);
  return {
    ref: ref(company, row.InvoiceNumber),
    kind: 'invoice',
    number: s(row.InvoiceNumber),
    date: s(row.InvoiceDate),
    customerRef: { erpId: companyRef(company, s(row.InvoiceCustomerAccountNumber)) },
    amount: num(row.TotalInvoiceAmount, 2),
    currency: s(row.CurrencyCode) || 'RUB',
    orderRef: order ? { erpId: companyRef(company, order) } : null,
    orderExternalId: order ? (externalIds.get(order) ?? null) : null,
    posted: true,
    hasFile: false,
  };
}

class RawNumber {
  constructor(readonly text: string) {}
}
/** A decimal that goes into JSON as an exact number literal (Edm.Decimal), never through a float. */
export const raw = (v: string) => new RawNumber(toDecimal(v));

export function stringifyWithDecimals(value: unknown): string {
  const raws: string[] = [];
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof RawNumber) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  }).replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] as string);
}

export interface D365OrderKeys {
  company: string;
  customer: string;
  warehouse?: string;
  site?: string;
  priceGroup?: string;
}

export function buildHeaderBody(cmd: SubmitOrder, k: D365OrderKeys): string {
  const body: Record<string, unknown> = {
    dataAreaId: k.company,
    OrderingCustomerAccountNumber: k.customer,
    InvoiceCustomerAccountNumber: k.customer,
    CustomersOrderReference: cmd.externalId,
    CustomerRequisitionNumber: cmd.number,
    CurrencyCode: cmd.currency,
    LanguageId: 'ru',
  };
  if (cmd.desiredDate) body.RequestedShippingDate = `${cmd.desiredDate.slice(0, 10)}T00:00:00Z`;
  if (k.warehouse) body.DefaultShippingWarehouseId = k.warehouse;
  if (k.site) body.DefaultShippingSiteId = k.site;
  if (k.priceGroup) body.PriceCustomerGroupCode = k.priceGroup;
  if (cmd.deliveryAddress) body.DeliveryAddressDescription = cmd.deliveryAddress;
  return stringifyWithDecimals(body);
}

export function buildLineBody(company: string, salesOrderNumber: string, lineNo: number, item: string, line: SubmitOrder['lines'][number], warehouse?: string): string {
  const body: Record<string, unknown> = {
    dataAreaId: company,
    SalesOrderNumber: salesOrderNumber,
    LineNumber: lineNo,
    ItemNumber: item,
    OrderedSalesQuantity: raw(line.qty),
    SalesPrice: raw(line.price),
    LineAmount: raw(multiplyDecimals(line.qty, line.price, 2)),
  };
  if (warehouse) body.ShippingWarehouseId = warehouse;
  return stringifyWithDecimals(body);
}
