import { randomUUID } from 'node:crypto';
import type { ErpOrderStatus } from '../../../server/erp/port.js';
import {
  addDays, decimalToKop, formatLocal, kopToDecimal, type CatDocument, type CatOrder, type GeneratedCatalog,
} from '../catalog/index.js';

/**
 * The mutable part of the emulated 1C infobase: orders (the catalog's history plus what clients create), the
 * documents that follow them, and edits to products. Catalog data itself stays immutable and lazily generated.
 *
 * Statuses are УТ 11 «СтатусыЗаказовКлиентов»: НеСогласован → Согласован → КОбеспечению → КОтгрузке → Закрыт
 * (cancelled = Закрыт with every line «Отменено»).
 */

export type OnecOrderStatus = 'НеСогласован' | 'Согласован' | 'КОбеспечению' | 'КОтгрузке' | 'Закрыт';
export const ONEC_ORDER_STATUSES: readonly OnecOrderStatus[] = ['НеСогласован', 'Согласован', 'КОбеспечению', 'КОтгрузке', 'Закрыт'];

/** How DealerHub orders carry their external id in «Комментарий» (the adapter writes the same marker). */
export const externalIdMarker = (id: string) => `[DealerHub:${id}]`;
const MARKER = /\[DealerHub:([0-9a-fA-F-]{36})\]/;
export const externalIdOf = (comment: unknown) => (typeof comment === 'string' ? (MARKER.exec(comment)?.[1]?.toLowerCase() ?? null) : null);

export interface EmOrderLine {
  LineNumber: number;
  Номенклатура_Key: string;
  Количество: number;
  Цена: number;
  Сумма: number;
  СуммаНДС: number;
  ВидЦены_Key: string;
  Склад_Key: string;
  Отменено: boolean;
  [field: string]: unknown;
}

export interface EmOrder {
  ref: string;
  number: string;
  date: string;
  posted: boolean;
  deletionMark: boolean;
  versionNo: number;
  status: OnecOrderStatus;
  agreed: boolean;
  header: Record<string, unknown>;
  lines: EmOrderLine[];
}

export type EmDocumentSet = 'Document_РеализацияТоваровУслуг' | 'Document_СчетНаОплатуКлиенту';

/** 1C «ВариантОформленияПродажи» of a sale (verify per release): which printed form the sale is. */
export const SALE_VARIANT: Record<'waybill' | 'upd' | 'act', string> = {
  waybill: 'ТоварнаяНакладная',
  upd: 'УниверсальныйПередаточныйДокумент',
  act: 'АктВыполненныхРабот',
};

export interface EmDocument {
  set: EmDocumentSet;
  ref: string;
  number: string;
  date: string;
  posted: boolean;
  versionNo: number;
  partnerRef: string;
  counterpartyRef: string;
  agreementRef: string;
  orderRef: string;
  variant: string | null;
  amount: string;
  vatAmount: string;
  dueDate: string | null;
  paid: boolean;
}

const ONEC_BY_STATUS = (o: CatOrder): OnecOrderStatus => {
  switch (o.status) {
    case 'draft':
      return 'НеСогласован';
    case 'confirmed':
      return 'Согласован';
    case 'in_fulfilment':
      return o.index % 2 === 0 ? 'КОбеспечению' : 'КОтгрузке';
    case 'shipped':
      return 'КОтгрузке';
    default:
      return 'Закрыт';
  }
};

const num = (text: string) => Number(text);

export function createOnecState(cat: GeneratedCatalog, now: () => string = () => formatLocal(Date.now())) {
  let version = 1;
  const bump = () => {
    version += 1;
  };
  const customersByPartner = new Map(cat.customers.map((c) => [c.ref, c]));
  const customersByCounterparty = new Map(cat.customers.map((c) => [c.counterpartyRef, c]));
  const agreementOf = (partnerRef: string) => customersByPartner.get(partnerRef)?.agreementRef ?? '';

  const orders: EmOrder[] = cat.orders.map((o) => {
    const c = cat.customers[o.customerIndex];
    return {
      ref: o.ref,
      number: o.number,
      date: o.date,
      posted: o.status !== 'draft',
      deletionMark: false,
      versionNo: 3,
      status: ONEC_BY_STATUS(o),
      agreed: o.status !== 'draft',
      header: {
        Организация_Key: cat.organization.ref,
        Партнер_Key: o.customerRef,
        Контрагент_Key: c?.counterpartyRef ?? '',
        Соглашение_Key: c?.agreementRef ?? '',
        Договор_Key: c?.contractRef ?? '',
        Склад_Key: o.warehouseRef,
        Валюта_Key: cat.currency.ref,
        ХозяйственнаяОперация: 'РеализацияКлиенту',
        ЦенаВключаетНДС: true,
        ДатаОтгрузки: o.shipDate,
        ЖелаемаяДатаОтгрузки: o.shipDate,
        НомерПоДаннымКлиента: o.externalId ? `DH-${String(o.index + 1).padStart(6, '0')}` : '',
        Комментарий: o.externalId ? `${o.comment} ${externalIdMarker(o.externalId)}` : o.comment,
        АдресДоставки: c?.address ?? '',
      },
      lines: o.lines.map((l) => ({
        LineNumber: l.lineNo,
        Номенклатура_Key: l.productRef,
        Количество: num(l.qty),
        Цена: num(l.price),
        Сумма: num(l.amount),
        СуммаНДС: num(l.vatAmount),
        ВидЦены_Key: o.priceTypeRef,
        Склад_Key: o.warehouseRef,
        Отменено: l.cancelled,
      })),
    };
  });
  const orderByRef = new Map(orders.map((o) => [o.ref, o]));

  const fromCatalog = (d: CatDocument): EmDocument => {
    const c = cat.customers[d.customerIndex];
    return {
      set: d.kind === 'invoice' ? 'Document_СчетНаОплатуКлиенту' : 'Document_РеализацияТоваровУслуг',
      ref: d.ref,
      number: d.number,
      date: d.date,
      posted: true,
      versionNo: 2,
      partnerRef: d.customerRef,
      counterpartyRef: c?.counterpartyRef ?? '',
      agreementRef: c?.agreementRef ?? '',
      orderRef: d.orderRef,
      variant: d.kind === 'invoice' ? null : SALE_VARIANT[d.kind],
      amount: d.amount,
      vatAmount: d.vatAmount,
      dueDate: d.dueDate,
      paid: d.paid,
    };
  };
  const documents: EmDocument[] = cat.documents.map(fromCatalog);
  const numberSeq = new Map<string, number>();
  for (const d of cat.documents) {
    const prefix = d.number.slice(0, 2);
    numberSeq.set(prefix, Math.max(numberSeq.get(prefix) ?? 0, Number(d.number.slice(-6))));
  }
  numberSeq.set('ЗК', orders.length);
  const nextNumber = (prefix: string) => {
    const n = (numberSeq.get(prefix) ?? 0) + 1;
    numberSeq.set(prefix, n);
    return `${prefix}00-${String(n).padStart(6, '0')}`;
  };

  const productPatches = new Map<number, { name?: string; deleted?: boolean; versionBump: number }>();

  const orderTotal = (o: EmOrder) => kopToDecimal(o.lines.filter((l) => !l.Отменено).reduce((s, l) => s + decimalToKop(l.Сумма.toFixed(2)), 0));
  const vatOf = (amount: string) => {
    const kop = decimalToKop(amount);
    return kopToDecimal(Math.floor((kop * 40 + 120) / 240));
  };

  function addDocument(o: EmOrder, set: EmDocumentSet, variant: string | null, amount: string): EmDocument {
    // УТ orders name the partner; БП invoices only the counterparty: find the dealer either way.
    const customer = customersByPartner.get(String(o.header.Партнер_Key ?? '')) ?? customersByCounterparty.get(String(o.header.Контрагент_Key ?? ''));
    const partnerRef = customer?.ref ?? String(o.header.Партнер_Key ?? '');
    const date = now();
    const d: EmDocument = {
      set,
      ref: randomUUID(),
      number: nextNumber(set === 'Document_СчетНаОплатуКлиенту' ? 'СЧ' : variant === SALE_VARIANT.act ? 'АК' : 'РТ'),
      date,
      posted: true,
      versionNo: 1,
      partnerRef,
      counterpartyRef: customer?.counterpartyRef ?? String(o.header.Контрагент_Key ?? ''),
      agreementRef: String(o.header.Соглашение_Key ?? agreementOf(partnerRef)),
      orderRef: o.ref,
      variant,
      amount,
      vatAmount: vatOf(amount),
      dueDate: set === 'Document_РеализацияТоваровУслуг' ? addDays(date, customer?.paymentTermDays ?? 0) : null,
      paid: false,
    };
    documents.push(d);
    return d;
  }

  const docsOf = (orderRef: string, set: EmDocumentSet) => documents.filter((d) => d.orderRef === orderRef && d.set === set);

  return {
    cat,
    version: () => version,
    bump,
    orders,
    documents,
    productPatches,
    now,
    nextNumber,
    orderByRef: (ref: string) => orderByRef.get(ref.toLowerCase()),
    orderTotal,
    addOrder(o: EmOrder) {
      orders.push(o);
      orderByRef.set(o.ref, o);
      bump();
    },
    ordersByExternalId(id: string): EmOrder[] {
      const want = id.toLowerCase();
      return orders.filter((o) => externalIdOf(o.header.Комментарий) === want);
    },
    /** Moves an order as 1C users would and creates what the step implies (invoice, shipment, payment). */
    moveOrder(o: EmOrder, to: ErpOrderStatus | OnecOrderStatus) {
      const total = orderTotal(o);
      const ensureInvoice = () => {
        if (docsOf(o.ref, 'Document_СчетНаОплатуКлиенту').length === 0) addDocument(o, 'Document_СчетНаОплатуКлиенту', null, total);
      };
      const ensureShipment = () => {
        if (docsOf(o.ref, 'Document_РеализацияТоваровУслуг').length === 0) addDocument(o, 'Document_РеализацияТоваровУслуг', SALE_VARIANT.upd, total);
      };
      switch (to) {
        case 'draft':
        case 'НеСогласован':
          o.status = 'НеСогласован';
          o.agreed = false;
          break;
        case 'confirmed':
        case 'Согласован':
          o.status = 'Согласован';
          o.agreed = true;
          ensureInvoice();
          break;
        case 'invoiced':
          o.status = 'Согласован';
          o.agreed = true;
          ensureInvoice();
          break;
        case 'in_fulfilment':
        case 'КОбеспечению':
          o.status = 'КОбеспечению';
          o.agreed = true;
          break;
        case 'КОтгрузке':
          o.status = 'КОтгрузке';
          o.agreed = true;
          break;
        case 'shipped':
        case 'delivered':
          o.status = 'КОтгрузке';
          o.agreed = true;
          ensureInvoice();
          ensureShipment();
          break;
        case 'paid':
        case 'closed':
        case 'Закрыт':
          ensureInvoice();
          ensureShipment();
          for (const d of documents) if (d.orderRef === o.ref) d.paid = true;
          o.status = 'Закрыт';
          break;
        case 'cancelled':
          for (const l of o.lines) l.Отменено = true;
          o.status = 'Закрыт';
          break;
        default:
          throw new Error(`unknown status "${String(to)}"`);
      }
      o.posted = true;
      o.versionNo += 1;
      bump();
    },
    updateProduct(index: number, patch: { name?: string; deleted?: boolean }) {
      const prev = productPatches.get(index);
      productPatches.set(index, { ...prev, ...patch, versionBump: (prev?.versionBump ?? 0) + 1 });
      bump();
    },
    /** Unpaid shipments and acts per dealer: what the settlements registers hold. */
    openDebts(): Array<{ partnerRef: string; counterpartyRef: string; documentRef: string; orderRef: string; date: string; dueDate: string; amount: string }> {
      return documents
        .filter((d) => d.set === 'Document_РеализацияТоваровУслуг' && d.posted && !d.paid && d.dueDate)
        .map((d) => ({ partnerRef: d.partnerRef, counterpartyRef: d.counterpartyRef, documentRef: d.ref, orderRef: d.orderRef, date: d.date, dueDate: d.dueDate as string, amount: d.amount }));
    },
  };
}

export type OnecState = ReturnType<typeof createOnecState>;
