import { readFile } from 'node:fs/promises';
import type { PayloadFormat } from '../payload-format.js';
import type { InboundBatches } from '../port.js';
import {
  mapAgreement, mapCategory, mapCustomer, mapInvoice, mapOnHand, mapOrderState, mapPriceGroup, mapReleasedProduct, mapWarehouse, type D365Row,
} from './d365-mapper.js';

/**
 * Saved F&O OData v4 answers (`{"@odata.context": "https://<env>/data/$metadata#Set", "value": […]}`) for
 * `npm run erp -- inspect <file>`, recognised by "@odata.context" pointing at /data/$metadata and mapped by entity set.
 */
const CONTEXT = /"@odata\.context"\s*:\s*"([^"]*\/data\/\$metadata#([A-Za-z0-9_]+)[^"]*)"/;

type ReadResult = Awaited<ReturnType<PayloadFormat['read']>> & Record<string, unknown>;

export function readD365Json(json: unknown): ReadResult {
  const doc = json as { '@odata.context'?: string; value?: D365Row[] } & D365Row;
  const set = /#([A-Za-z0-9_]+)/.exec(String(doc['@odata.context'] ?? ''))?.[1] ?? '';
  const rows: D365Row[] = Array.isArray(doc.value) ? doc.value : /\$entity$/.test(String(doc['@odata.context'])) ? [doc] : [];
  const company = (r: D365Row) => String(r.dataAreaId ?? '');
  const out: ReadResult = {};
  switch (set) {
    case 'ReleasedProductsV2':
      out.products = rows.map((r) => mapReleasedProduct(r, { company: company(r), hierarchy: '', obsoleteStates: ['Obsolete'] }));
      break;
    case 'ProductCategories':
      out.groups = rows.map(mapCategory);
      break;
    case 'Warehouses':
      out.warehouses = rows.map(mapWarehouse);
      break;
    case 'PriceCustomerGroups':
      out.priceTypes = rows.map((r) => mapPriceGroup(r, 'RUB', true));
      break;
    case 'SalesPriceAgreements':
      out.prices = rows.map(mapAgreement);
      break;
    case 'WarehousesOnHandV2':
    case 'InventWarehouseOnHandV2':
      out.stock = rows.map(mapOnHand);
      break;
    case 'CustomersV3':
      out.customers = rows.map(mapCustomer);
      break;
    case 'SalesOrderHeadersV2':
      out.orderStates = rows.map((r) => mapOrderState(r, [], undefined));
      break;
    case 'SalesOrderLines':
      out.orderLines = rows;
      break;
    case 'SalesInvoiceHeadersV2':
      out.documents = rows.map((r) => mapInvoice(r, new Map()));
      break;
    default:
      out.entitySet = set;
      out.rows = rows;
  }
  return out;
}

export const d365Formats: PayloadFormat[] = [
  {
    id: 'd365-odata',
    detect(head) {
      const m = CONTEXT.exec(head.toString('utf8').replace(/^\uFEFF/, ''));
      return m ? `d365-odata/${m[2]}` : null;
    },
    async read(filePath) {
      return readD365Json(JSON.parse((await readFile(filePath, 'utf8')).replace(/^\uFEFF/, ''))) as Partial<InboundBatches>;
    },
  },
];
