import type { CatCustomer, CatDocument, CatGroup, CatOrder, CatPriceType, CatProduct, CatWarehouse, GeneratedCatalog } from '../catalog/index.js';

/**
 * How the AX 2012 emulator keys the generated catalog: AX uses natural string keys, not GUIDs (ItemId, AccountNum,
 * InventLocationId, price group GroupId, SalesId, InvoiceId). The contract battery gets the same mapping.
 */
export const axIds = {
  item: (p: Pick<CatProduct, 'sku'>) => p.sku,
  category: (g: Pick<CatGroup, 'index'>) => `CAT-${String(g.index + 1).padStart(4, '0')}`,
  warehouse: (w: Pick<CatWarehouse, 'index'>) => `WH${String(w.index + 1).padStart(2, '0')}`,
  priceGroup: (t: Pick<CatPriceType, 'index'>) => `PG-${String(t.index + 1).padStart(2, '0')}`,
  customer: (c: Pick<CatCustomer, 'index'>) => `RU-${String(c.index + 1).padStart(5, '0')}`,
  salesId: (n: number) => `SO-${String(n).padStart(6, '0')}`,
  order: (o: Pick<CatOrder, 'index'>) => axIds.salesId(o.index + 1),
  document: (d: Pick<CatDocument, 'number'>) => d.number,
};

/** Battery id mapping for the AX emulator's catalog. */
export function axBatteryIds(cat: GeneratedCatalog) {
  const orderByRef = new Map(cat.orders.map((o) => [o.ref, o]));
  return {
    product: (p: CatProduct) => axIds.item(p),
    group: (g: CatGroup) => axIds.category(g),
    warehouse: (w: CatWarehouse) => axIds.warehouse(w),
    priceType: (t: CatPriceType) => axIds.priceGroup(t),
    customer: (c: CatCustomer) => axIds.customer(c),
    document: (d: CatDocument) => axIds.document(d),
    order: (ref: string) => {
      const o = orderByRef.get(ref);
      return o ? axIds.order(o) : ref;
    },
  };
}
