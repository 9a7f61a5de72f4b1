import type { ErpOrderStatus } from '../../../server/erp/port.js';
import type { CatOrder, CatProduct, GeneratedCatalog } from '../catalog/index.js';
import { axIds } from './ax-ids.js';

/**
 * The AX 2012 company the emulator serves, built from the generated catalog: released items (InventTable), sales
 * orders (SalesTable/SalesLine) with SalesStatus and DocumentStatus, customers (CustTable + DirParty), and the data our
 * custom services read (on-hand, trade agreements, balances, customer documents). Modification times drive
 * getChangedKeys, as SQL Server change tracking would.
 */

export type SalesStatus = 'Backorder' | 'Delivered' | 'Invoiced' | 'Canceled';
export type DocumentStatus = 'None' | 'Confirmation' | 'PickingList' | 'PackingSlip' | 'Invoice';

export interface AxSalesLine {
  lineNum: number;
  itemId: string;
  qty: string;
  price: string;
  amount: string;
  unit: string;
}

export interface AxSalesOrder {
  salesId: string;
  recId: number;
  recVersion: number;
  custAccount: string;
  currency: string;
  purchOrderFormNum: string;
  customerRef: string;
  deliveryDate: string;
  inventLocationId: string;
  salesName: string;
  salesStatus: SalesStatus;
  documentStatus: DocumentStatus;
  createdAt: string;
  modifiedAt: number;
  lines: AxSalesLine[];
}

export const STATUS_TO_AX: Record<ErpOrderStatus, { salesStatus: SalesStatus; documentStatus: DocumentStatus }> = {
  draft: { salesStatus: 'Backorder', documentStatus: 'None' },
  confirmed: { salesStatus: 'Backorder', documentStatus: 'Confirmation' },
  in_fulfilment: { salesStatus: 'Backorder', documentStatus: 'PickingList' },
  invoiced: { salesStatus: 'Invoiced', documentStatus: 'Invoice' },
  paid: { salesStatus: 'Invoiced', documentStatus: 'Invoice' },
  shipped: { salesStatus: 'Delivered', documentStatus: 'PackingSlip' },
  delivered: { salesStatus: 'Delivered', documentStatus: 'PackingSlip' },
  closed: { salesStatus: 'Invoiced', documentStatus: 'Invoice' },
  cancelled: { salesStatus: 'Canceled', documentStatus: 'None' },
};

const kop = (v: string) => Math.round(Number(v) * 100);
const money = (k: number) => `${Math.trunc(k / 100)}.${String(Math.abs(k) % 100).padStart(2, '0')}`;

export function createAxStore(cat: GeneratedCatalog, company: string) {
  const started = Date.now();
  const baseTime = started - 86_400_000;
  let recIds = 5637144576;
  const itemChanges = new Map<number, { name?: string; deleted?: boolean; modifiedAt: number; recVersion: number }>();
  let itemIndexById: Map<string, number> | null = null;
  const customerById = new Map(cat.customers.map((c) => [axIds.customer(c), c]));
  const warehouseByRef = new Map(cat.warehouses.map((w) => [w.ref, w]));
  const priceTypeByRef = new Map(cat.priceTypes.map((t) => [t.ref, t]));
  const orders = new Map<string, AxSalesOrder>();
  let nextSales = cat.orders.length + 1;

  const seedOrder = (o: CatOrder): AxSalesOrder => {
    const customer = cat.customers[o.customerIndex];
    const ax = STATUS_TO_AX[o.status];
    return {
      salesId: axIds.order(o),
      recId: recIds++,
      recVersion: 1,
      custAccount: customer ? axIds.customer(customer) : '',
      currency: 'RUB',
      purchOrderFormNum: o.externalId ?? '',
      customerRef: o.externalId ?? '',
      deliveryDate: o.shipDate.slice(0, 10),
      inventLocationId: axIds.warehouse(warehouseByRef.get(o.warehouseRef) ?? { index: 0 }),
      salesName: customer?.name ?? '',
      ...ax,
      createdAt: o.date,
      modifiedAt: baseTime,
      lines: o.lines.map((l) => ({ lineNum: l.lineNo, itemId: cat.product(l.productIndex).sku, qty: l.qty, price: l.price, amount: l.amount, unit: cat.units.piece.name })),
    };
  };
  for (const o of cat.orders) {
    const s = seedOrder(o);
    orders.set(s.salesId, s);
  }

  return {
    company,
    catalog: cat,
    started,
    orders,

    itemIndex(itemId: string): number | undefined {
      if (!itemIndexById) {
        itemIndexById = new Map();
        for (let i = 0; i < cat.productCount; i++) itemIndexById.set(cat.product(i).sku, i);
      }
      return itemIndexById.get(itemId);
    },

    item(index: number): CatProduct & { modifiedAt: number; recVersion: number } {
      const p = cat.product(index);
      const ch = itemChanges.get(index);
      return { ...p, ...(ch?.name !== undefined ? { name: ch.name } : {}), ...(ch?.deleted !== undefined ? { deleted: ch.deleted } : {}), modifiedAt: ch?.modifiedAt ?? baseTime, recVersion: ch?.recVersion ?? p.versionNo };
    },

    updateItem(index: number, patch: { name?: string; deleted?: boolean }): void {
      const prev = itemChanges.get(index);
      itemChanges.set(index, { ...prev, ...patch, modifiedAt: Date.now(), recVersion: (prev?.recVersion ?? cat.product(index).versionNo) + 1000 });
    },

    changedItems(since: number): number[] {
      return [...itemChanges.entries()].filter(([, c]) => c.modifiedAt > since).map(([i]) => i).sort((a, b) => a - b);
    },

    customer: (accountNum: string) => customerById.get(accountNum),
    priceGroupOf: (priceTypeRef: string) => axIds.priceGroup(priceTypeByRef.get(priceTypeRef) ?? { index: 0 }),

    createOrder(input: Omit<AxSalesOrder, 'salesId' | 'recId' | 'recVersion' | 'salesStatus' | 'documentStatus' | 'createdAt' | 'modifiedAt'>): AxSalesOrder {
      const order: AxSalesOrder = {
        ...input,
        salesId: axIds.salesId(nextSales++),
        recId: recIds++,
        recVersion: 1,
        salesStatus: 'Backorder',
        documentStatus: 'None',
        createdAt: new Date().toISOString().slice(0, 19),
        modifiedAt: Date.now(),
        lines: input.lines.map((l) => ({ ...l, amount: money(kop(l.price) * Number(l.qty)) })),
      };
      orders.set(order.salesId, order);
      return order;
    },

    setOrderStatus(salesId: string, status: ErpOrderStatus): void {
      const o = orders.get(salesId);
      if (!o) throw new Error(`no sales order ${salesId}`);
      Object.assign(o, STATUS_TO_AX[status], { modifiedAt: Date.now(), recVersion: o.recVersion + 1 });
    },

    ordersByExternalId(externalId: string): AxSalesOrder[] {
      return [...orders.values()].filter((o) => o.purchOrderFormNum === externalId);
    },
  };
}

export type AxStore = ReturnType<typeof createAxStore>;
