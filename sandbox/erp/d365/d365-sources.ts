import type { CatProduct, GeneratedCatalog } from '../catalog/index.js';
import { arraySource, type Row, type RowSource } from '../onec-odata/query-engine.js';
import { D365_CATEGORY_HIERARCHY, D365_COMPANY, d365Ids } from './d365-ids.js';
import { utc, type D365State } from './d365-state.js';

/**
 * The public data entities the D365 F&O emulator serves at /data/, with field names of the real entities
 * (erp-integration.md §3; SalesPriceAgreements and its odd QuantityUnitySymbol as seen in public integrations):
 * ReleasedProductsV2, ProductTranslations, ItemBarcodes, ProductUnitOfMeasureConversions, ProductCategories,
 * ProductCategoryAssignments, Warehouses, WarehousesOnHandV2 (InventWarehouseOnHandV2Entity), PriceCustomerGroups,
 * SalesPriceAgreements (trade agreements: the price list), CustomersV3, CustCollectionsBICustTrans (open customer
 * transactions; verify IsPublic), SalesOrderHeadersV2, SalesOrderLines, SalesInvoiceHeadersV2.
 */

export interface D365EntitySet {
  name: string;
  /** Entity type name in $metadata. */
  type: string;
  keys: string[];
  /** Rows carry dataAreaId and are company-specific (cross-company rules apply). */
  company: boolean;
  props: Array<[string, string]>;
  source: RowSource;
}

const S = 'Edm.String';
const N = 'Edm.Decimal';
const I = 'Edm.Int32';
const DT = 'Edm.DateTimeOffset';
const ENUM = 'Microsoft.Dynamics.DataEntities.NoYes';

const KINDS: Record<string, string> = { machine: 'MACHINES', tool: 'TOOLS', part: 'PARTS', consumable: 'CONSUMABLE', accessory: 'ACCESSORY' };

function cachedProduct(cat: GeneratedCatalog) {
  let last = -1;
  let value: CatProduct | null = null;
  return (i: number): CatProduct => {
    if (i !== last) {
      value = cat.product(i);
      last = i;
    }
    return value as CatProduct;
  };
}

/** Side rows per product (barcodes, unit conversions, translations…) addressed through prefix sums. */
function perProduct(name: string, cat: GeneratedCatalog, count: (p: CatProduct) => number, make: (p: CatProduct, k: number) => Row, key: string, keyOf: (p: CatProduct) => string): RowSource {
  const product = cachedProduct(cat);
  let offsets: Int32Array | null = null;
  let byKey: Map<string, number> | null = null;
  const ensure = () => {
    if (offsets) return offsets;
    const o = new Int32Array(cat.productCount + 1);
    const m = new Map<string, number>();
    for (let i = 0; i < cat.productCount; i++) {
      const p = cat.product(i);
      o[i + 1] = (o[i] as number) + count(p);
      m.set(keyOf(p).toLowerCase(), i);
    }
    offsets = o;
    byKey = m;
    return o;
  };
  const ownerOf = (o: Int32Array, row: number) => {
    let lo = 0;
    let hi = o.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((o[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    name,
    size: () => ensure()[cat.productCount] as number,
    row: (i) => {
      const o = ensure();
      const p = ownerOf(o, i);
      return make(product(p), i - (o[p] as number));
    },
    version: () => 1,
    indexedFields: [key],
    lookup(field, values) {
      if (field !== key) return undefined;
      const o = ensure();
      const out: number[] = [];
      for (const v of values) {
        const p = byKey?.get(v);
        if (p !== undefined) for (let r = o[p] as number; r < (o[p + 1] as number); r++) out.push(r);
      }
      return out;
    },
  };
}

export function buildD365Sources(state: D365State) {
  const cat = state.cat;
  const product = cachedProduct(cat);
  const groupByRef = new Map(cat.groups.map((g) => [g.ref, g]));
  const warehouseByRef = new Map(cat.warehouses.map((w) => [w.ref, w]));
  const types = cat.priceTypes;

  const released = perProduct('ReleasedProductsV2', cat, () => 1, (p) => {
    const patch = state.productPatches.get(p.index);
    const base = cat.pricesOf(p.index)[0];
    return {
      dataAreaId: D365_COMPANY, ItemNumber: d365Ids.item(p), ProductNumber: d365Ids.item(p), SearchName: (patch?.name ?? p.name).slice(0, 20),
      ProductType: 'Item', ProductSubType: 'Product', ProductGroupId: KINDS[p.kind] ?? 'GOODS', ItemModelGroupId: 'FIFO',
      InventoryUnitSymbol: 'шт', SalesUnitSymbol: 'шт', PurchaseUnitSymbol: 'шт', SalesSalesTaxItemGroupCode: `НДС${p.vatRate}`,
      NetProductWeight: p.weightKg === null ? 0 : Number(p.weightKg), SalesPrice: Number(base?.price ?? 0),
      ProductLifecycleStateId: (patch?.deleted ?? p.deleted) ? 'Obsolete' : 'Active',
    };
  }, 'ItemNumber', (p) => p.sku);
  // ReleasedProductsV2 is scanned by company only; a cheap row keeps cross-company filters from generating products.
  released.lightFields = new Set(['dataAreaId']);
  released.light = () => ({ dataAreaId: D365_COMPANY });

  const translations = perProduct('ProductTranslations', cat, () => 1, (p) => {
    const patch = state.productPatches.get(p.index);
    return { ProductNumber: d365Ids.item(p), LanguageId: 'ru', ProductName: patch?.name ?? p.name, Description: p.description };
  }, 'ProductNumber', (p) => p.sku);
  const barcodes = perProduct('ItemBarcodes', cat, (p) => p.barcodes.length, (p, k) => ({
    dataAreaId: D365_COMPANY, ItemNumber: d365Ids.item(p), BarcodeSetupId: 'EAN13', Barcode: p.barcodes[k], ProductQuantityUnitSymbol: 'шт',
    IsDefaultScannedBarcode: k === 0 ? 'Yes' : 'No',
  }), 'ItemNumber', (p) => p.sku);
  const conversions = perProduct('ProductUnitOfMeasureConversions', cat, (p) => p.packs.length, (p, k) => {
    const pack = p.packs[k] as CatProduct['packs'][number];
    return { ProductNumber: d365Ids.item(p), FromUnitSymbol: `уп${pack.ratio}`, ToUnitSymbol: 'шт', Factor: Number(pack.ratio), Numerator: 1, Denominator: 1, InnerOffset: 0, OuterOffset: 0 };
  }, 'ProductNumber', (p) => p.sku);
  const assignments = perProduct('ProductCategoryAssignments', cat, () => 1, (p) => ({
    ProductNumber: d365Ids.item(p), ProductCategoryHierarchyName: D365_CATEGORY_HIERARCHY, ProductCategoryName: groupByRef.get(p.groupRef)?.name ?? '',
  }), 'ProductNumber', (p) => p.sku);

  const categories: Row[] = cat.groups.map((g) => ({
    ProductCategoryHierarchyName: D365_CATEGORY_HIERARCHY, ProductCategoryName: g.name, ProductCategoryCode: g.code,
    ParentProductCategoryName: g.parentRef ? (groupByRef.get(g.parentRef)?.name ?? '') : '',
  }));
  const warehouses: Row[] = cat.warehouses.map((w) => ({
    dataAreaId: D365_COMPANY, WarehouseId: d365Ids.warehouse(w), WarehouseName: w.name, OperationalSiteId: d365Ids.site(w),
    PrimaryAddressCity: w.city, FormattedPrimaryAddress: w.address,
  }));
  const priceGroups: Row[] = types.map((t) => ({ dataAreaId: D365_COMPANY, GroupCode: d365Ids.priceGroup(t), GroupName: t.name }));
  const customers: Row[] = cat.customers.map((c) => ({
    dataAreaId: D365_COMPANY, CustomerAccount: d365Ids.customer(c), OrganizationName: c.name, NameAlias: c.name.slice(0, 20),
    PartyType: c.isPerson ? 'Person' : 'Organization', CustomerGroupId: 'DEALERS', TaxExemptNumber: c.inn,
    DiscountPriceGroupId: d365Ids.priceGroup(types.find((t) => t.ref === c.priceTypeRef) ?? { index: 0 }),
    CreditLimit: c.creditLimit === null ? 0 : Number(c.creditLimit), CreditLimitIsMandatory: c.creditLimitEnforced ? 'Yes' : 'No',
    PaymentTerms: `Net${c.paymentTermDays}`, SalesCurrencyCode: 'RUB', AddressCity: c.city, AddressDescription: c.address,
    PrimaryContactEmail: c.email, PrimaryContactPhone: c.phone,
  }));

  // On-hand: one row per item and warehouse, the catalog's stock rows (arrivals on order included).
  let stockOffsets: Int32Array | null = null;
  let skuIndex: Map<string, number> | null = null;
  const ensureStock = () => {
    if (stockOffsets) return stockOffsets;
    const o = new Int32Array(cat.productCount + 1);
    for (let i = 0; i < cat.productCount; i++) o[i + 1] = (o[i] as number) + cat.stockOf(i).length;
    stockOffsets = o;
    return o;
  };
  const ensureSkus = () => {
    if (!skuIndex) {
      skuIndex = new Map();
      for (let i = 0; i < cat.productCount; i++) skuIndex.set(cat.product(i).sku.toLowerCase(), i);
    }
    return skuIndex;
  };
  let lastStock = -1;
  let lastRows = cat.stockOf(0);
  const onHand: RowSource = {
    name: 'WarehousesOnHandV2',
    size: () => ensureStock()[cat.productCount] as number,
    row: (i) => {
      const o = ensureStock();
      let lo = 0;
      let hi = o.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((o[mid] as number) <= i) lo = mid;
        else hi = mid - 1;
      }
      if (lo !== lastStock) {
        lastRows = cat.stockOf(lo);
        lastStock = lo;
      }
      const r = lastRows[i - (o[lo] as number)] as (typeof lastRows)[number];
      const w = warehouseByRef.get(r.warehouseRef);
      return {
        dataAreaId: D365_COMPANY, ItemNumber: d365Ids.item(product(lo)), ProductColorId: '', ProductConfigurationId: '', ProductSizeId: '', ProductStyleId: '',
        InventorySiteId: w ? d365Ids.site(w) : '', InventoryWarehouseId: w ? d365Ids.warehouse(w) : '',
        OnHandQuantity: Number(r.onHand), ReservedOnHandQuantity: Number(r.reserved), AvailableOnHandQuantity: Number(r.available),
        OrderedQuantity: Number(r.expected?.qty ?? 0), OnOrderQuantity: 0, TotalAvailableQuantity: Number(r.available) + Number(r.expected?.qty ?? 0),
        AreWarehouseManagementProcessesUsed: 'No',
      };
    },
    version: () => 1,
    indexedFields: ['ItemNumber'],
    lookup(field, values) {
      if (field !== 'ItemNumber') return undefined;
      const o = ensureStock();
      const out: number[] = [];
      for (const v of values) {
        const p = ensureSkus().get(v);
        if (p !== undefined) for (let r = o[p] as number; r < (o[p + 1] as number); r++) out.push(r);
      }
      return out;
    },
  };

  let lastPriceProduct = -1;
  let lastPrices = cat.pricesOf(0);
  const agreements: RowSource = {
    name: 'SalesPriceAgreements',
    size: () => cat.productCount * types.length,
    row: (i) => {
      const p = Math.floor(i / types.length);
      if (p !== lastPriceProduct) {
        lastPrices = cat.pricesOf(p);
        lastPriceProduct = p;
      }
      const t = types[i % types.length];
      const pr = lastPrices[i % types.length];
      return {
        dataAreaId: D365_COMPANY, ItemNumber: d365Ids.item(product(p)), PriceCustomerGroupCode: t ? d365Ids.priceGroup(t) : '', CustomerAccountNumber: '',
        Price: Number(pr?.price ?? 0), PriceCurrencyCode: 'RUB', PriceApplicableFromDate: utc(pr?.validFrom ?? '1900-01-01T00:00:00'),
        PriceApplicableToDate: '1900-01-01T00:00:00Z', QuantityUnitySymbol: 'шт', FromQuantity: 0, ToQuantity: 0, SalesPriceQuantity: 1, WillSearchContinue: 'Yes',
        RecordId: String(i + 1),
      };
    },
    version: () => 1,
    lightFields: new Set(['dataAreaId', 'PriceCustomerGroupCode']),
    light: (i) => ({ dataAreaId: D365_COMPANY, PriceCustomerGroupCode: d365Ids.priceGroup({ index: i % types.length }) }),
    indexedFields: ['ItemNumber'],
    lookup(field, values) {
      if (field !== 'ItemNumber') return undefined;
      const out: number[] = [];
      for (const v of values) {
        const p = ensureSkus().get(v);
        if (p !== undefined) for (let t = 0; t < types.length; t++) out.push(p * types.length + t);
      }
      return out;
    },
  };

  const memo = <T>(build: () => T) => {
    let at = -1;
    let value: T;
    return () => {
      if (at !== state.version()) {
        value = build();
        at = state.version();
      }
      return value;
    };
  };
  const headerRows = memo(() => state.headers.map((h) => ({ ...h })));
  const lineRows = memo(() => state.lines.map((l) => ({ ...l })));
  const invoiceRows = memo(() => state.invoices.map(({ paid: _paid, DueDate: _due, ...i }) => i));
  const openTrans = memo(() => state.invoices.filter((i) => !i.paid).map((i) => ({
    dataAreaId: i.dataAreaId, Company: i.dataAreaId, AccountNum: i.InvoiceCustomerAccountNumber, Invoice: i.InvoiceNumber, TransDate: i.InvoiceDate,
    DueDate: i.DueDate, OpenAmountMST: i.TotalInvoiceAmount, AccountingCurrency: 'RUB', TransType: 'Sales',
  })));
  const v1 = () => 1;
  const constant = (rows: Row[]) => () => rows;

  const sets: D365EntitySet[] = [
    {
      name: 'ReleasedProductsV2', type: 'ReleasedProductV2', keys: ['dataAreaId', 'ItemNumber'], company: true, source: released,
      props: [['dataAreaId', S], ['ItemNumber', S], ['ProductNumber', S], ['SearchName', S], ['ProductType', S], ['ProductSubType', S], ['ProductGroupId', S], ['ItemModelGroupId', S],
        ['InventoryUnitSymbol', S], ['SalesUnitSymbol', S], ['PurchaseUnitSymbol', S], ['SalesSalesTaxItemGroupCode', S], ['NetProductWeight', N], ['SalesPrice', N], ['ProductLifecycleStateId', S]],
    },
    { name: 'ProductTranslations', type: 'ProductTranslation', keys: ['ProductNumber', 'LanguageId'], company: false, source: translations, props: [['ProductNumber', S], ['LanguageId', S], ['ProductName', S], ['Description', S]] },
    { name: 'ItemBarcodes', type: 'ItemBarcode', keys: ['dataAreaId', 'ItemNumber', 'Barcode'], company: true, source: barcodes, props: [['dataAreaId', S], ['ItemNumber', S], ['BarcodeSetupId', S], ['Barcode', S], ['ProductQuantityUnitSymbol', S], ['IsDefaultScannedBarcode', ENUM]] },
    {
      name: 'ProductUnitOfMeasureConversions', type: 'ProductUnitOfMeasureConversion', keys: ['ProductNumber', 'FromUnitSymbol', 'ToUnitSymbol'], company: false, source: conversions,
      props: [['ProductNumber', S], ['FromUnitSymbol', S], ['ToUnitSymbol', S], ['Factor', N], ['Numerator', I], ['Denominator', I], ['InnerOffset', N], ['OuterOffset', N]],
    },
    {
      name: 'ProductCategories', type: 'ProductCategory', keys: ['ProductCategoryHierarchyName', 'ProductCategoryName'], company: false,
      source: arraySource('ProductCategories', constant(categories), v1, ['ProductCategoryName']),
      props: [['ProductCategoryHierarchyName', S], ['ProductCategoryName', S], ['ProductCategoryCode', S], ['ParentProductCategoryName', S]],
    },
    {
      name: 'ProductCategoryAssignments', type: 'ProductCategoryAssignment', keys: ['ProductNumber', 'ProductCategoryHierarchyName', 'ProductCategoryName'], company: false,
      source: assignments, props: [['ProductNumber', S], ['ProductCategoryHierarchyName', S], ['ProductCategoryName', S]],
    },
    {
      name: 'Warehouses', type: 'Warehouse', keys: ['dataAreaId', 'WarehouseId'], company: true, source: arraySource('Warehouses', constant(warehouses), v1, ['WarehouseId']),
      props: [['dataAreaId', S], ['WarehouseId', S], ['WarehouseName', S], ['OperationalSiteId', S], ['PrimaryAddressCity', S], ['FormattedPrimaryAddress', S]],
    },
    {
      name: 'WarehousesOnHandV2', type: 'InventWarehouseOnHandV2', keys: ['dataAreaId', 'ItemNumber', 'InventorySiteId', 'InventoryWarehouseId'], company: true, source: onHand,
      props: [['dataAreaId', S], ['ItemNumber', S], ['ProductColorId', S], ['ProductConfigurationId', S], ['ProductSizeId', S], ['ProductStyleId', S], ['InventorySiteId', S],
        ['InventoryWarehouseId', S], ['OnHandQuantity', N], ['ReservedOnHandQuantity', N], ['AvailableOnHandQuantity', N], ['OrderedQuantity', N], ['OnOrderQuantity', N],
        ['TotalAvailableQuantity', N], ['AreWarehouseManagementProcessesUsed', ENUM]],
    },
    {
      name: 'PriceCustomerGroups', type: 'PriceCustomerGroup', keys: ['dataAreaId', 'GroupCode'], company: true, source: arraySource('PriceCustomerGroups', constant(priceGroups), v1, ['GroupCode']),
      props: [['dataAreaId', S], ['GroupCode', S], ['GroupName', S]],
    },
    {
      name: 'SalesPriceAgreements', type: 'SalesPriceAgreement', keys: ['dataAreaId', 'RecordId'], company: true, source: agreements,
      props: [['dataAreaId', S], ['ItemNumber', S], ['PriceCustomerGroupCode', S], ['CustomerAccountNumber', S], ['Price', N], ['PriceCurrencyCode', S], ['PriceApplicableFromDate', DT],
        ['PriceApplicableToDate', DT], ['QuantityUnitySymbol', S], ['FromQuantity', N], ['ToQuantity', N], ['SalesPriceQuantity', N], ['WillSearchContinue', ENUM], ['RecordId', S]],
    },
    {
      name: 'CustomersV3', type: 'CustomerV3', keys: ['dataAreaId', 'CustomerAccount'], company: true, source: arraySource('CustomersV3', constant(customers), v1, ['CustomerAccount']),
      props: [['dataAreaId', S], ['CustomerAccount', S], ['OrganizationName', S], ['NameAlias', S], ['PartyType', S], ['CustomerGroupId', S], ['TaxExemptNumber', S], ['DiscountPriceGroupId', S],
        ['CreditLimit', N], ['CreditLimitIsMandatory', ENUM], ['PaymentTerms', S], ['SalesCurrencyCode', S], ['AddressCity', S], ['AddressDescription', S], ['PrimaryContactEmail', S], ['PrimaryContactPhone', S]],
    },
    {
      name: 'CustCollectionsBICustTrans', type: 'CustCollectionsBICustTrans', keys: ['dataAreaId', 'Invoice'], company: true,
      source: arraySource('CustCollectionsBICustTrans', openTrans, state.version, ['AccountNum']),
      props: [['dataAreaId', S], ['Company', S], ['AccountNum', S], ['Invoice', S], ['TransDate', DT], ['DueDate', DT], ['OpenAmountMST', N], ['AccountingCurrency', S], ['TransType', S]],
    },
    {
      name: 'SalesOrderHeadersV2', type: 'SalesOrderHeaderV2', keys: ['dataAreaId', 'SalesOrderNumber'], company: true,
      source: arraySource('SalesOrderHeadersV2', headerRows, state.version, ['SalesOrderNumber', 'CustomersOrderReference']),
      props: [['dataAreaId', S], ['SalesOrderNumber', S], ['OrderingCustomerAccountNumber', S], ['InvoiceCustomerAccountNumber', S], ['CustomersOrderReference', S],
        ['CustomerRequisitionNumber', S], ['SalesOrderStatus', 'Microsoft.Dynamics.DataEntities.SalesStatus'], ['SalesOrderProcessingStatus', S], ['CurrencyCode', S],
        ['RequestedShippingDate', DT], ['DefaultShippingWarehouseId', S], ['DefaultShippingSiteId', S], ['PriceCustomerGroupCode', S], ['SalesOrderName', S],
        ['DeliveryAddressDescription', S], ['LanguageId', S], ['OrderCreationDateTime', DT]],
    },
    {
      name: 'SalesOrderLines', type: 'SalesOrderLine', keys: ['dataAreaId', 'InventoryLotId'], company: true,
      source: arraySource('SalesOrderLines', lineRows, state.version, ['SalesOrderNumber']),
      props: [['dataAreaId', S], ['SalesOrderNumber', S], ['InventoryLotId', S], ['LineNumber', N], ['ItemNumber', S], ['OrderedSalesQuantity', N], ['SalesPrice', N], ['LineAmount', N],
        ['SalesUnitSymbol', S], ['ShippingWarehouseId', S], ['ShippingSiteId', S], ['SalesOrderLineStatus', 'Microsoft.Dynamics.DataEntities.SalesStatus'], ['LineDescription', S], ['CurrencyCode', S]],
    },
    {
      name: 'SalesInvoiceHeadersV2', type: 'SalesInvoiceHeaderV2', keys: ['dataAreaId', 'InvoiceNumber'], company: true,
      source: arraySource('SalesInvoiceHeadersV2', invoiceRows, state.version, ['InvoiceCustomerAccountNumber', 'SalesOrderNumber']),
      props: [['dataAreaId', S], ['InvoiceNumber', S], ['InvoiceDate', DT], ['InvoiceCustomerAccountNumber', S], ['SalesOrderNumber', S], ['TotalInvoiceAmount', N], ['TotalTaxAmount', N], ['CurrencyCode', S]],
    },
  ];
  const byName = new Map(sets.map((s) => [s.name, s]));
  return { sets, set: (name: string) => byName.get(name) };
}

export type D365Sources = ReturnType<typeof buildD365Sources>;
