import { describe, expect, it } from 'vitest';
import { compareDecimals, dec } from '../../../../server/lib/decimal.js';
import {
  generateCatalog, isValidEan13, isValidInn, kopToDecimal, decimalToKop, toErpProduct, type CatPrice,
} from '../../../../sandbox/erp/catalog/index.js';

describe('catalog generator', () => {
  it('when generated twice with the same seed, then every part is identical; another seed gives other data', () => {
    const a = generateCatalog({ seed: 'dealerhub', skus: 500 });
    const b = generateCatalog({ seed: 'dealerhub', skus: 500 });
    const c = generateCatalog({ seed: 'other', skus: 500 });
    expect([...b.products()]).toEqual([...a.products()]);
    expect([...b.prices()]).toEqual([...a.prices()]);
    expect([...b.stock()]).toEqual([...a.stock()]);
    expect(b.groups).toEqual(a.groups);
    expect(b.customers).toEqual(a.customers);
    expect(b.orders).toEqual(a.orders);
    expect(b.documents).toEqual(a.documents);
    expect(b.finance).toEqual(a.finance);
    expect(c.product(0).ref).not.toBe(a.product(0).ref);
    expect(c.customers.map((x) => x.inn)).not.toEqual(a.customers.map((x) => x.inn));
  });

  it('when a product is asked for directly, then it equals the same product reached by iteration (lazy generation)', () => {
    const cat = generateCatalog({ seed: 7, skus: 3000 });
    const iterated = [...cat.products(2990, 3000)];
    expect(iterated).toHaveLength(10);
    expect(cat.product(2995)).toEqual(iterated[5]);
    expect(cat.productRef(2995)).toBe(iterated[5]?.ref);
    expect(cat.productIndexOf(iterated[5]?.ref ?? '')).toBe(2995);
    expect(() => cat.product(3000)).toThrow(RangeError);
  });

  it('when sizes from 100 to 100 000 are asked for, then the catalog has exactly that many unique products', () => {
    for (const skus of [100, 1000]) {
      const cat = generateCatalog({ seed: 1, skus });
      expect([...cat.products()]).toHaveLength(skus);
    }
    const big = generateCatalog({ seed: 1, skus: 100_000 });
    expect(big.productCount).toBe(100_000);
    const refs = new Set<string>();
    const skus = new Set<string>();
    const barcodes = new Set<string>();
    let withBarcode = 0;
    for (const p of big.products()) {
      refs.add(p.ref);
      skus.add(p.sku);
      for (const code of p.barcodes) barcodes.add(code);
      if (p.barcodes.length > 0) withBarcode++;
    }
    expect(refs.size).toBe(100_000);
    expect(skus.size).toBe(100_000);
    expect(withBarcode).toBeGreaterThan(90_000);
    expect(barcodes.size).toBeGreaterThanOrEqual(withBarcode);
    // Lazy: a 100k catalog costs little memory until iterated, and iteration keeps nothing.
    expect(process.memoryUsage().heapUsed).toBeLessThan(400 * 1024 * 1024);
  });

  it('when the group tree is built, then it has 3 levels, every parent exists and every product sits in a leaf', () => {
    const cat = generateCatalog({ seed: 3, skus: 2000 });
    const byRef = new Map(cat.groups.map((g) => [g.ref, g]));
    for (const g of cat.groups) {
      if (g.level === 1) expect(g.parentRef).toBeNull();
      else expect(byRef.get(g.parentRef ?? '')?.level).toBe(g.level - 1);
    }
    expect(new Set(cat.groups.map((g) => g.level))).toEqual(new Set([1, 2, 3]));
    for (const p of cat.products()) {
      const g = byRef.get(p.groupRef);
      expect(g?.level).toBe(3);
      expect(p.index).toBeGreaterThanOrEqual(g?.range?.[0] ?? -1);
      expect(p.index).toBeLessThan(g?.range?.[1] ?? -1);
    }
  });

  it('when products are generated, then barcodes are valid EAN-13, units and packs are sane, analogs exist in the same group', () => {
    const cat = generateCatalog({ seed: 11, skus: 3000 });
    let packs = 0;
    let analogs = 0;
    let deleted = 0;
    for (const p of cat.products()) {
      for (const code of p.barcodes) expect(isValidEan13(code), `${p.sku} ${code}`).toBe(true);
      expect(p.baseUnitRef).toBe(cat.units.piece.ref);
      expect(cat.units.piece.okei).toBe('796');
      for (const k of p.packs) expect(['6', '12']).toContain(k.ratio);
      packs += p.packs.length;
      for (const a of p.analogRefs) {
        const other = cat.product(cat.productIndexOf(a) ?? -1);
        expect(other.groupRef).toBe(p.groupRef);
        expect(other.ref).not.toBe(p.ref);
      }
      analogs += p.analogRefs.length;
      expect(p.properties.length).toBeGreaterThan(0);
      expect(p.vatRate).toBe('20');
      if (p.deleted) deleted++;
    }
    expect(packs).toBeGreaterThan(100);
    expect(analogs).toBeGreaterThan(100);
    expect(deleted).toBeGreaterThan(0);
    expect(deleted).toBeLessThan(150);
    expect(isValidEan13('4607012345678')).toBe(false);
    expect(isValidEan13('4600051000057')).toBe(true);
  });

  it('when prices are generated, then each has a product and a type, is a decimal string and base > wholesale > dealer', () => {
    const cat = generateCatalog({ seed: 5, skus: 1500 });
    const types = new Map(cat.priceTypes.map((t) => [t.ref, t]));
    const byName = (name: string) => cat.priceTypes.find((t) => t.name === name)?.ref;
    let count = 0;
    for (let i = 0; i < cat.productCount; i++) {
      const rows = cat.pricesOf(i);
      expect(rows).toHaveLength(cat.priceTypes.length);
      const of = (ref: string | undefined) => rows.find((r: CatPrice) => r.priceTypeRef === ref)?.price ?? '0';
      for (const r of rows) {
        expect(types.has(r.priceTypeRef)).toBe(true);
        expect(r.productRef).toBe(cat.productRef(i));
        expect(r.price).toMatch(/^\d+\.\d{2}$/);
        expect(compareDecimals(r.price, '0')).toBe(1);
        count++;
      }
      expect(compareDecimals(of(byName('Базовая')), of(byName('Оптовая')))).toBe(1);
      expect(compareDecimals(of(byName('Оптовая')), of(byName('Дилерская C')))).toBe(1);
      expect(compareDecimals(of(byName('Дилерская C')), of(byName('Дилерская B')))).toBe(1);
      expect(compareDecimals(of(byName('Дилерская B')), of(byName('Дилерская A')))).toBe(1);
    }
    expect([...cat.prices()]).toHaveLength(count);
  });

  it('when stock is generated, then available = on hand − reserved ≥ 0, some rows are zero, some expect arrivals', () => {
    const cat = generateCatalog({ seed: 9, skus: 2000, warehouses: 6 });
    expect(cat.warehouses.map((w) => w.city)).toEqual(['Москва', 'Санкт-Петербург', 'Екатеринбург', 'Новосибирск', 'Краснодар', 'Ростов-на-Дону']);
    const warehouses = new Set(cat.warehouses.map((w) => w.ref));
    let zero = 0;
    let expected = 0;
    let rows = 0;
    for (const s of cat.stock()) {
      rows++;
      expect(warehouses.has(s.warehouseRef)).toBe(true);
      expect(dec(s.onHand).minus(s.reserved).toFixed()).toBe(s.available);
      expect(compareDecimals(s.available, '0')).toBeGreaterThanOrEqual(0);
      if (s.onHand === '0') zero++;
      if (s.expected) {
        expected++;
        expect(s.expected.date > cat.asOf.slice(0, 10)).toBe(true);
      }
      expect(cat.product(s.productIndex).deleted).toBe(false);
    }
    expect(rows).toBeGreaterThan(2000);
    expect(zero).toBeGreaterThan(0);
    expect(expected).toBeGreaterThan(0);
  });

  it('when dealers are generated, then INN/KPP are valid, price types exist and ООО and ИП both occur', () => {
    const cat = generateCatalog({ seed: 21, skus: 100, customers: 40 });
    const types = new Set(cat.priceTypes.map((t) => t.ref));
    for (const c of cat.customers) {
      expect(isValidInn(c.inn), c.inn).toBe(true);
      if (c.isPerson) {
        expect(c.name.startsWith('ИП ')).toBe(true);
        expect(c.inn).toHaveLength(12);
        expect(c.kpp).toBeNull();
      } else {
        expect(c.name.startsWith('ООО «')).toBe(true);
        expect(c.inn).toHaveLength(10);
        expect(c.kpp).toMatch(/^\d{9}$/);
      }
      expect(types.has(c.priceTypeRef)).toBe(true);
    }
    expect(cat.customers.some((c) => c.isPerson)).toBe(true);
    expect(cat.customers.some((c) => !c.isPerson)).toBe(true);
    expect(cat.customers.some((c) => c.creditLimit === null)).toBe(true);
    expect(cat.customers.some((c) => c.creditLimitEnforced)).toBe(true);
  });

  it('when orders and documents are generated, then totals add up, documents point at orders and debts equal unpaid documents', () => {
    const cat = generateCatalog({ seed: 33, skus: 800, customers: 20, ordersPerCustomer: 8 });
    expect(cat.orders).toHaveLength(160);
    const orders = new Map(cat.orders.map((o) => [o.ref, o]));
    for (const o of cat.orders) {
      const sum = o.lines.filter((l) => !l.cancelled).reduce((s, l) => s + decimalToKop(l.amount), 0);
      expect(kopToDecimal(sum)).toBe(o.total);
      for (const l of o.lines) {
        expect(cat.product(l.productIndex).ref).toBe(l.productRef);
        expect(dec(l.price).times(l.qty).toFixed(2)).toBe(l.amount);
      }
      expect(o.date <= cat.asOf).toBe(true);
    }
    expect(new Set(cat.orders.map((o) => o.status))).toEqual(new Set(['draft', 'confirmed', 'in_fulfilment', 'shipped', 'closed', 'cancelled']));
    expect(cat.orders.filter((o) => o.externalId).length).toBeGreaterThan(40);
    expect(new Set(cat.documents.map((d) => d.kind))).toEqual(new Set(['invoice', 'upd', 'waybill', 'act']));
    for (const d of cat.documents) {
      const o = orders.get(d.orderRef);
      expect(o?.customerRef).toBe(d.customerRef);
      expect(d.orderExternalId).toBe(o?.externalId);
      expect(d.date >= (o?.date.slice(0, 10) ?? '')).toBe(true);
    }
    for (const f of cat.finance) {
      const unpaid = cat.documents.filter((d) => d.customerRef === f.customerRef && !d.paid && d.dueDate);
      expect(f.debt).toBe(kopToDecimal(unpaid.reduce((s, d) => s + decimalToKop(d.amount), 0)));
      expect(compareDecimals(f.overdue, f.debt)).toBeLessThanOrEqual(0);
      expect(f.overdueDays > 0).toBe(compareDecimals(f.overdue, '0') > 0);
    }
    expect(cat.finance.some((f) => compareDecimals(f.overdue, '0') > 0)).toBe(true);
  });

  it('when normalized, then a product carries the port fields with decimal strings', () => {
    const cat = generateCatalog({ seed: 2, skus: 200 });
    const p = toErpProduct(cat, cat.product(150));
    expect(p.ref.erpId).toBe(cat.productRef(150));
    expect(p.baseUnit).toMatchObject({ code: '796', name: 'шт', ratio: '1' });
    expect(p.vatRate).toBe('20');
    expect(p.version).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
