import { describe, expect, it } from 'vitest';
import { generateCatalog, toErpProduct } from '../../../../sandbox/erp/catalog/index.js';
import { buildD365Sources } from '../../../../sandbox/erp/d365/d365-sources.js';
import { createD365State } from '../../../../sandbox/erp/d365/d365-state.js';
import { D365_CATEGORY_HIERARCHY, d365Ids } from '../../../../sandbox/erp/d365/index.js';
import { d365Mapper as m, d365Query as q } from '../../../../server/erp/d365-odata/index.js';

describe('D365 OData v4 query pieces', () => {
  it('when literals and URLs are built, then they follow v4 syntax with cross-company and encoded values', () => {
    expect(q.strLit("O'Brien")).toBe("'O''Brien'");
    expect(q.dateTimeLit('2026-11-01')).toBe('2026-11-01T00:00:00Z');
    expect(q.dateTimeLit('2026-11-01T23:59:59')).toBe('2026-11-01T23:59:59Z');
    expect(q.dateTimeLit('2026-11-01T03:00:00+03:00')).toBe('2026-11-01T00:00:00Z');
    expect(q.enumLit('NoYes', 'Yes')).toBe("Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(q.anyOf('ItemNumber', ['A', "B'1"])).toBe("ItemNumber eq 'A' or ItemNumber eq 'B''1'");
    expect(q.keyPath('SalesOrderHeadersV2', { dataAreaId: 'rumf', SalesOrderNumber: 'SO-1' })).toBe("SalesOrderHeadersV2(dataAreaId='rumf',SalesOrderNumber='SO-1')");
    const url = q.v4Url('ReleasedProductsV2', { crossCompany: true, filter: q.and(q.eq('dataAreaId', 'rumf'), q.eq('SearchName', 'Нож')), select: ['ItemNumber', 'SearchName'], count: true });
    expect(url).toBe(`ReleasedProductsV2?cross-company=true&$filter=${encodeURIComponent("(dataAreaId eq 'rumf') and (SearchName eq 'Нож')")}&$select=ItemNumber%2CSearchName&$count=true`);
    expect(q.splitRef('rumf|LM-000001', 'x')).toEqual({ company: 'rumf', key: 'LM-000001' });
    expect(q.splitRef('LM|7', 'x')).toEqual({ company: 'lm', key: '7' });
  });
});

describe('D365 mapper on emulator rows', () => {
  const cat = generateCatalog({ seed: 'd365-mapper', skus: 80 });
  const state = createD365State(cat);
  const sources = buildD365Sources(state);
  const rows = (set: string) => {
    const src = sources.set(set)?.source;
    return Array.from({ length: src?.size() ?? 0 }, (_, i) => src?.row(i) ?? {});
  };

  it('when a released product is mapped with its translation, barcodes, conversions and category, then it matches the catalog', () => {
    const p = cat.product(41);
    const expected = toErpProduct(cat, p);
    const row = rows('ReleasedProductsV2').find((r) => r.ItemNumber === p.sku) ?? {};
    const product = m.mapReleasedProduct(row, {
      company: 'rumf', hierarchy: D365_CATEGORY_HIERARCHY, name: p.name, description: p.description, category: cat.groups.find((g) => g.ref === p.groupRef)?.name,
      barcodes: rows('ItemBarcodes').filter((b) => b.ItemNumber === p.sku).map((b) => String(b.Barcode)),
      packs: rows('ProductUnitOfMeasureConversions').filter((c) => c.ProductNumber === p.sku).map(m.mapConversion),
      obsoleteStates: ['Obsolete'],
    });
    expect(product).toMatchObject({
      ref: { erpId: `rumf|${p.sku}`, code: p.sku }, sku: p.sku, name: expected.name, description: expected.description, vatRate: '20', deleted: p.deleted,
      groupRef: { erpId: `${D365_CATEGORY_HIERARCHY}|${cat.groups.find((g) => g.ref === p.groupRef)?.name}` }, baseUnit: { name: 'шт', ratio: '1' },
    });
    expect(product.barcodes).toEqual(expected.barcodes);
    expect(product.packUnits?.map((u) => u.ratio)).toEqual(p.packs.map((k) => k.ratio));
    expect(m.mapReleasedProduct({ ...row, ProductLifecycleStateId: 'Obsolete' }, { company: 'rumf', hierarchy: '', obsoleteStates: ['Obsolete'] }).deleted).toBe(true);
    expect(m.mapReleasedProduct(row, { company: 'rumf', hierarchy: '', obsoleteStates: [] }).name).toBe(String(row.SearchName));
  });

  it('when prices, on-hand and customers are mapped, then amounts are decimal strings and refs carry the company', () => {
    const agreement = rows('SalesPriceAgreements')[2] ?? {};
    const price = m.mapAgreement(agreement);
    expect(price).toMatchObject({ productRef: { erpId: `rumf|${cat.product(0).sku}` }, priceTypeRef: { erpId: `rumf|${d365Ids.priceGroup({ index: 2 })}` }, price: cat.pricesOf(0)[2]?.price, currency: 'RUB' });
    expect(m.mapAgreement({ ...agreement, Price: 120, SalesPriceQuantity: 100 }).price).toBe('1.20');
    const stockRow = rows('WarehousesOnHandV2')[0] ?? {};
    const stock = m.mapOnHand(stockRow);
    const first = [...cat.stock()][0];
    expect(stock).toMatchObject({ onHand: first?.onHand, reserved: first?.reserved, available: first?.available });
    expect(m.mapOnHand({ ...stockRow, ProductColorId: 'Red' }).variantRef?.erpId).toContain('|Red|');
    const c = m.mapCustomer(rows('CustomersV3')[0] ?? {});
    expect(c).toMatchObject({ ref: { erpId: 'rumf|RU-0001' }, name: cat.customers[0]?.name, inn: cat.customers[0]?.inn });
    expect(m.paymentDaysOf('Net30')).toBe(30);
    expect(m.paymentDaysOf('COD')).toBeUndefined();
    expect(m.vatRateOfTaxGroup('НДС20')).toBe('20');
    expect(m.vatRateOfTaxGroup('RU_10')).toBe('10');
  });

  it('when sales statuses are read, then they map to normalized statuses, paid invoices closing the order', () => {
    const st = (SalesOrderStatus: string, SalesOrderProcessingStatus = 'None', open?: boolean) => m.orderStatusOf({ SalesOrderStatus, SalesOrderProcessingStatus }, open).status;
    expect(st('Backorder')).toBe('draft');
    expect(st('Backorder', 'Confirmed')).toBe('confirmed');
    expect(st('Backorder', 'PickingListPrinted')).toBe('in_fulfilment');
    expect(st('Delivered', 'Delivered')).toBe('shipped');
    expect(st('Invoiced', 'Invoiced', true)).toBe('invoiced');
    expect(st('Invoiced', 'Invoiced', false)).toBe('closed');
    expect(st('Canceled')).toBe('cancelled');
    const h = state.headers[0];
    if (!h) throw new Error('the catalog has no orders');
    const s = m.mapOrderState(h, state.linesOf(h.SalesOrderNumber), undefined);
    expect(s.total).toBe(cat.orders[0]?.total);
    expect(s.erpRef.erpId).toBe(`rumf|${d365Ids.salesOrder({ index: 0 })}`);
  });

  it('when order bodies are built, then decimals are exact JSON numbers and the external id is the order reference', () => {
    const header = JSON.parse(m.buildHeaderBody({
      externalId: 'e1c3b2a0-0000-4000-8000-000000000001', number: 'DH-7', customerRef: { erpId: 'rumf|RU-0001' }, currency: 'RUB', post: false, lines: [], desiredDate: '2026-12-01',
    }, { company: 'rumf', customer: 'RU-0001', warehouse: 'MSK-01', priceGroup: 'DEALER-A' }));
    expect(header).toEqual({
      dataAreaId: 'rumf', OrderingCustomerAccountNumber: 'RU-0001', InvoiceCustomerAccountNumber: 'RU-0001', CustomersOrderReference: 'e1c3b2a0-0000-4000-8000-000000000001',
      CustomerRequisitionNumber: 'DH-7', CurrencyCode: 'RUB', LanguageId: 'ru', RequestedShippingDate: '2026-12-01T00:00:00Z', DefaultShippingWarehouseId: 'MSK-01', PriceCustomerGroupCode: 'DEALER-A',
    });
    const line = m.buildLineBody('rumf', 'SO-1', 2, 'KN-000001', { productRef: { erpId: 'rumf|KN-000001' }, qty: '3', price: '9007199254740993.10' });
    expect(line).toContain('"SalesPrice":9007199254740993.1');
    expect(line).toContain('"LineAmount":27021597764222979.3');
  });
});
