import type { ErpOrderStatus } from '../../../server/erp/port.js';
import { addDays, decimalToKop, formatLocal, kopToDecimal, type CatOrder, type GeneratedCatalog } from '../catalog/index.js';
import { D365_COMPANY, d365Ids } from './d365-ids.js';

/**
 * Mutable part of the emulated F&O company: sales orders (generated history plus what clients create), their lines,
 * posted sales invoices and open customer transactions. Statuses follow SalesTable: SalesOrderStatus
 * (Backorder, Delivered, Invoiced, Canceled) plus the document/processing status (None, Confirmed,
 * PickingListPrinted, Delivered, Invoiced) (verify the field name per version).
 */

export type D365SalesStatus = 'Backorder' | 'Delivered' | 'Invoiced' | 'Canceled';
export type D365ProcessingStatus = 'None' | 'Confirmed' | 'PickingListPrinted' | 'Delivered' | 'Invoiced';

export interface D365Header {
  dataAreaId: string;
  SalesOrderNumber: string;
  OrderingCustomerAccountNumber: string;
  InvoiceCustomerAccountNumber: string;
  CustomersOrderReference: string;
  CustomerRequisitionNumber: string;
  SalesOrderStatus: D365SalesStatus;
  SalesOrderProcessingStatus: D365ProcessingStatus;
  CurrencyCode: string;
  RequestedShippingDate: string;
  DefaultShippingWarehouseId: string;
  DefaultShippingSiteId: string;
  PriceCustomerGroupCode: string;
  SalesOrderName: string;
  DeliveryAddressDescription: string;
  LanguageId: string;
  [field: string]: unknown;
}

export interface D365Line {
  dataAreaId: string;
  SalesOrderNumber: string;
  InventoryLotId: string;
  LineNumber: number;
  ItemNumber: string;
  OrderedSalesQuantity: number;
  SalesPrice: number;
  LineAmount: number;
  SalesUnitSymbol: string;
  ShippingWarehouseId: string;
  ShippingSiteId: string;
  SalesOrderLineStatus: D365SalesStatus;
  LineDescription: string;
  CurrencyCode: string;
  [field: string]: unknown;
}

export interface D365Invoice {
  dataAreaId: string;
  InvoiceNumber: string;
  InvoiceDate: string;
  InvoiceCustomerAccountNumber: string;
  SalesOrderNumber: string;
  TotalInvoiceAmount: number;
  TotalTaxAmount: number;
  CurrencyCode: string;
  DueDate: string;
  paid: boolean;
}

const statusOf = (o: CatOrder): [D365SalesStatus, D365ProcessingStatus] => {
  switch (o.status) {
    case 'draft':
      return ['Backorder', 'None'];
    case 'confirmed':
      return ['Backorder', 'Confirmed'];
    case 'in_fulfilment':
      return ['Backorder', 'PickingListPrinted'];
    case 'shipped':
      return ['Delivered', 'Delivered'];
    case 'cancelled':
      return ['Canceled', 'None'];
    default:
      return ['Invoiced', 'Invoiced'];
  }
};

/** F&O dates are DateTimeOffset in UTC: the catalog's local stamps are written with a Z. */
export const utc = (local: string) => `${local.slice(0, 19)}Z`;

export function createD365State(cat: GeneratedCatalog, now: () => string = () => formatLocal(Date.now())) {
  let version = 1;
  const bump = () => {
    version += 1;
  };
  const customerAccount = new Map(cat.customers.map((c) => [c.ref, d365Ids.customer(c)]));
  const warehouseOf = new Map(cat.warehouses.map((w) => [w.ref, w]));
  const priceGroupOf = new Map(cat.priceTypes.map((t) => [t.ref, d365Ids.priceGroup(t)]));
  let lotSeq = 0;
  const nextLot = () => `LOT-${String(++lotSeq).padStart(8, '0')}`;

  const headers: D365Header[] = [];
  const lines: D365Line[] = [];
  for (const o of cat.orders) {
    const [status, processing] = statusOf(o);
    const account = customerAccount.get(o.customerRef) ?? '';
    const w = warehouseOf.get(o.warehouseRef);
    const number = d365Ids.salesOrder(o);
    headers.push({
      dataAreaId: D365_COMPANY, SalesOrderNumber: number, OrderingCustomerAccountNumber: account, InvoiceCustomerAccountNumber: account,
      CustomersOrderReference: o.externalId ?? '', CustomerRequisitionNumber: o.externalId ? `DH-${String(o.index + 1).padStart(6, '0')}` : '',
      SalesOrderStatus: status, SalesOrderProcessingStatus: processing, CurrencyCode: 'RUB', RequestedShippingDate: utc(o.shipDate),
      DefaultShippingWarehouseId: w ? d365Ids.warehouse(w) : '', DefaultShippingSiteId: w ? d365Ids.site(w) : '',
      PriceCustomerGroupCode: priceGroupOf.get(o.priceTypeRef) ?? '', SalesOrderName: cat.customers[o.customerIndex]?.name ?? '',
      DeliveryAddressDescription: cat.customers[o.customerIndex]?.address ?? '', LanguageId: 'ru', OrderCreationDateTime: utc(o.date),
    });
    for (const l of o.lines) {
      const p = cat.product(l.productIndex);
      lines.push({
        dataAreaId: D365_COMPANY, SalesOrderNumber: number, InventoryLotId: nextLot(), LineNumber: l.lineNo, ItemNumber: d365Ids.item(p),
        OrderedSalesQuantity: Number(l.qty), SalesPrice: Number(l.price), LineAmount: Number(l.amount), SalesUnitSymbol: 'шт',
        ShippingWarehouseId: w ? d365Ids.warehouse(w) : '', ShippingSiteId: w ? d365Ids.site(w) : '',
        SalesOrderLineStatus: l.cancelled ? 'Canceled' : status, LineDescription: p.name, CurrencyCode: 'RUB',
      });
    }
  }
  const orderIndexByRef = new Map(cat.orders.map((o) => [o.ref, o.index]));
  const invoices: D365Invoice[] = cat.documents.filter((d) => d.kind !== 'invoice').map((d) => ({
    dataAreaId: D365_COMPANY,
    InvoiceNumber: d365Ids.invoice(d),
    InvoiceDate: utc(d.date),
    InvoiceCustomerAccountNumber: customerAccount.get(d.customerRef) ?? '',
    SalesOrderNumber: d365Ids.salesOrder({ index: orderIndexByRef.get(d.orderRef) ?? 0 }),
    TotalInvoiceAmount: Number(d.amount),
    TotalTaxAmount: Number(d.vatAmount),
    CurrencyCode: 'RUB',
    DueDate: utc(d.dueDate ?? d.date),
    paid: d.paid,
  }));
  let invoiceSeq = invoices.length;
  let orderSeq = headers.length;

  const productPatches = new Map<number, { name?: string; deleted?: boolean }>();
  let skuIndex: Map<string, number> | null = null;
  const itemIndex = (item: string): number | undefined => {
    if (!skuIndex) {
      skuIndex = new Map();
      for (let i = 0; i < cat.productCount; i++) skuIndex.set(cat.product(i).sku, i);
    }
    return skuIndex.get(item);
  };
  const header = (number: string) => headers.find((h) => h.SalesOrderNumber === number && h.dataAreaId === D365_COMPANY);
  const linesOf = (number: string) => lines.filter((l) => l.SalesOrderNumber === number && l.dataAreaId === D365_COMPANY);
  const termOf = (account: string) => cat.customers.find((c) => d365Ids.customer(c) === account)?.paymentTermDays ?? 30;

  return {
    cat,
    headers,
    lines,
    invoices,
    productPatches,
    version: () => version,
    bump,
    now,
    header,
    linesOf,
    itemIndex,
    nextLot,
    nextOrderNumber: () => `SO-${String(++orderSeq).padStart(6, '0')}`,
    byReference: (ref: string) => headers.filter((h) => h.CustomersOrderReference.toLowerCase() === ref.toLowerCase()),
    updateProduct(index: number, patch: { name?: string; deleted?: boolean }) {
      productPatches.set(index, { ...productPatches.get(index), ...patch });
      bump();
    },
    /** Moves an order as F&O users would: confirm, pick, deliver (packing slip), invoice, cancel. */
    moveOrder(h: D365Header, to: ErpOrderStatus) {
      const setLines = (s: D365SalesStatus) => linesOf(h.SalesOrderNumber).forEach((l) => {
        l.SalesOrderLineStatus = s;
      });
      const invoice = (paid: boolean) => {
        const existing = invoices.find((i) => i.SalesOrderNumber === h.SalesOrderNumber);
        if (existing) {
          existing.paid = paid;
          return;
        }
        const total = linesOf(h.SalesOrderNumber).reduce((s, l) => s + decimalToKop(l.LineAmount.toFixed(2)), 0);
        const date = now();
        invoices.push({
          dataAreaId: D365_COMPANY, InvoiceNumber: `CIV-9${String(++invoiceSeq).padStart(5, '0')}`, InvoiceDate: utc(date),
          InvoiceCustomerAccountNumber: h.InvoiceCustomerAccountNumber, SalesOrderNumber: h.SalesOrderNumber,
          TotalInvoiceAmount: Number(kopToDecimal(total)), TotalTaxAmount: Number(kopToDecimal(Math.floor((total * 40 + 120) / 240))), CurrencyCode: 'RUB',
          DueDate: utc(addDays(date, termOf(h.InvoiceCustomerAccountNumber))), paid,
        });
      };
      switch (to) {
        case 'draft':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Backorder', 'None'];
          break;
        case 'confirmed':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Backorder', 'Confirmed'];
          break;
        case 'in_fulfilment':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Backorder', 'PickingListPrinted'];
          break;
        case 'shipped':
        case 'delivered':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Delivered', 'Delivered'];
          setLines('Delivered');
          break;
        case 'invoiced':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Invoiced', 'Invoiced'];
          setLines('Invoiced');
          invoice(false);
          break;
        case 'paid':
        case 'closed':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Invoiced', 'Invoiced'];
          setLines('Invoiced');
          invoice(true);
          break;
        case 'cancelled':
          [h.SalesOrderStatus, h.SalesOrderProcessingStatus] = ['Canceled', 'None'];
          setLines('Canceled');
          break;
        default:
          throw new Error(`unknown status "${String(to)}"`);
      }
      bump();
    },
  };
}

export type D365State = ReturnType<typeof createD365State>;
