import type { CatCustomer, CatDocument, CatGroup, CatOrder, CatPriceType, CatProduct, CatWarehouse } from '../catalog/index.js';

/**
 * How the D365 F&O emulator keys the catalog: natural keys with dataAreaId, as F&O entities do
 * (https://learn.microsoft.com/en-us/dynamics365/fin-ops-core/dev-itpro/data-entities/odata — every key field,
 * dataAreaId included, is needed to address a record). The adapter's ErpRef.erpId is "dataAreaId|key"
 * (server/erp/port.ts), except categories, which are shared across companies: "hierarchy|category".
 */
export const D365_COMPANY = 'rumf';
/** The user's default company: what a request without cross-company=true sees (an empty demo company). */
export const D365_DEFAULT_COMPANY = 'dat';
export const D365_CATEGORY_HIERARCHY = 'Дилерский каталог';

const WAREHOUSES = ['MSK-01', 'SPB-01', 'EKB-01', 'NSK-01', 'KRD-01', 'ROV-01', 'KZN-01', 'NNV-01', 'SMR-01', 'VRN-01', 'KJA-01', 'KHV-01'];
const PRICE_GROUPS = ['BASE', 'WHOLESALE', 'DEALER-A', 'DEALER-B', 'DEALER-C', 'REG-SIB', 'REG-SOUTH'];

export const d365Ids = {
  item: (p: Pick<CatProduct, 'sku'>) => p.sku,
  warehouse: (w: Pick<CatWarehouse, 'index'>) => WAREHOUSES[w.index] ?? `WH-${w.index + 1}`,
  site: (w: Pick<CatWarehouse, 'index'>) => (WAREHOUSES[w.index] ?? `WH-${w.index + 1}`).slice(0, 3),
  customer: (c: Pick<CatCustomer, 'index'>) => `RU-${String(c.index + 1).padStart(4, '0')}`,
  priceGroup: (t: Pick<CatPriceType, 'index'>) => PRICE_GROUPS[t.index] ?? `PG-${t.index + 1}`,
  salesOrder: (o: Pick<CatOrder, 'index'>) => `SO-${String(o.index + 1).padStart(6, '0')}`,
  /** Shipments (УПД/ТОРГ-12) and acts are posted as sales invoices; pro-forma invoices have no F&O counterpart. */
  invoice: (d: Pick<CatDocument, 'number' | 'kind'>) => `${d.kind === 'act' ? 'CIA' : 'CIV'}-${d.number.slice(-6)}`,
  category: (g: Pick<CatGroup, 'name'>) => g.name,
  /** ErpRef.erpId the adapter builds. */
  ref: (key: string) => `${D365_COMPANY}|${key}`,
  categoryRef: (g: Pick<CatGroup, 'name'>) => `${D365_CATEGORY_HIERARCHY}|${g.name}`,
};
