import type {
  ErpCustomer, ErpCustomerFinance, ErpDocument, ErpOrderState, ErpPrice, ErpPriceType, ErpProduct, ErpProductGroup,
  ErpStock, ErpWarehouse,
} from '../../../server/erp/port.js';
import type { DecimalString } from '../../../server/lib/decimal.js';
import type {
  CatCustomer, CatDocument, CatFinance, CatGroup, CatOrder, CatPrice, CatPriceType, CatProduct, CatStock, CatWarehouse,
  GeneratedCatalog,
} from './catalog.types.js';

/**
 * What a correct adapter returns for the generated data, in the port's normalized types, with ERP ids being the
 * catalog's GUIDs (1C Ref_Key, CommerceML Ид). Adapters whose ERP keys objects differently (D365 ItemNumber) pass an
 * id mapping to the contract battery instead.
 */

export const ref = (erpId: string, code?: string) => (code === undefined ? { erpId } : { erpId, code });

/** 1C DataVersion is an opaque base64 string such as "AAAADAAAAAA="; the generator's is its counter in that form. */
export function dataVersionOf(versionNo: number): string {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(versionNo >>> 0, 0);
  return b.toString('base64');
}

export function toErpGroup(g: CatGroup): ErpProductGroup {
  return { ref: ref(g.ref, g.code), name: g.name, parentRef: g.parentRef ? ref(g.parentRef) : null };
}

export function toErpProduct(cat: GeneratedCatalog, p: CatProduct): ErpProduct {
  const piece = cat.units.piece;
  return {
    ref: ref(p.ref, p.code),
    sku: p.sku,
    name: p.name,
    fullName: p.fullName,
    groupRef: ref(p.groupRef),
    brand: p.brand,
    barcodes: [...p.barcodes],
    baseUnit: { ref: ref(piece.ref, piece.okei), code: piece.okei, name: piece.name, ratio: '1' as DecimalString },
    packUnits: p.packs.map((k) => ({ ref: ref(k.ref), code: cat.units.pack.okei, name: k.name, ratio: k.ratio })),
    properties: p.properties.map((x) => ({ id: x.propertyRef, name: x.name, value: x.value })),
    analogRefs: p.analogRefs.map((r) => ref(r)),
    pictures: [...p.pictures],
    description: p.description,
    vatRate: p.vatRate,
    deleted: p.deleted,
    version: dataVersionOf(p.versionNo),
  };
}

export function toErpWarehouse(w: CatWarehouse): ErpWarehouse {
  return { ref: ref(w.ref, w.code), name: w.name, city: w.city, address: w.address };
}

export function toErpPriceType(t: CatPriceType): ErpPriceType {
  return { ref: ref(t.ref, t.code), name: t.name, currency: t.currency, vatIncluded: t.vatIncluded };
}

export function toErpPrice(p: CatPrice): ErpPrice {
  return { productRef: ref(p.productRef), priceTypeRef: ref(p.priceTypeRef), price: p.price, currency: p.currency, validFrom: p.validFrom };
}

export function toErpStock(s: CatStock): ErpStock {
  return {
    productRef: ref(s.productRef),
    warehouseRef: ref(s.warehouseRef),
    onHand: s.onHand,
    reserved: s.reserved,
    available: s.available,
    ...(s.expected ? { expected: { ...s.expected } } : {}),
  };
}

export function toErpCustomer(c: CatCustomer): ErpCustomer {
  return { ref: ref(c.ref, c.code), name: c.name, inn: c.inn, ...(c.kpp ? { kpp: c.kpp } : {}), priceTypeRef: ref(c.priceTypeRef) };
}

export function toErpFinance(f: CatFinance): ErpCustomerFinance {
  return {
    customerRef: ref(f.customerRef),
    currency: f.currency,
    debt: f.debt,
    overdue: f.overdue,
    overdueDays: f.overdueDays,
    creditLimit: f.creditLimit,
    creditLimitEnforced: f.creditLimitEnforced,
    paymentTermDays: f.paymentTermDays,
    asOf: f.asOf,
  };
}

export function toErpDocument(d: CatDocument): ErpDocument {
  return {
    ref: ref(d.ref, d.number),
    kind: d.kind,
    number: d.number,
    date: d.date,
    customerRef: ref(d.customerRef),
    amount: d.amount,
    currency: d.currency,
    orderRef: ref(d.orderRef),
    orderExternalId: d.orderExternalId,
    posted: true,
    hasFile: false,
  };
}

export function toErpOrderState(o: CatOrder): ErpOrderState {
  return {
    externalId: o.externalId,
    erpRef: ref(o.ref, o.number),
    number: o.number,
    status: o.status,
    rawStatus: o.status,
    posted: o.status !== 'draft',
    total: o.total,
  };
}
