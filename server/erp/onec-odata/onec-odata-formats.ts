import { readFile } from 'node:fs/promises';
import type { PayloadFormat } from '../payload-format.js';
import type { ErpCustomer, ErpPriceType, ErpStock, InboundBatches } from '../port.js';
import {
  entitySetOf, mapCustomer, mapGenericDocument, mapGroup, mapOrderState, mapPrice, mapProduct, mapStockBalance, mapUnit, mapWarehouse, refOf,
  serviceDocumentSets, externalIdFromComment, str, type OnecRow,
} from './onec-mapper.js';
import { UT11_PROFILE } from './onec-profile.js';

/**
 * Saved answers of the 1C standard OData interface (`…/standard.odata/<Set>?$format=json`), for
 * `npm run erp -- inspect <file>`: a collection ({"odata.metadata": "…$metadata#Set", "value": […]}), a single element
 * ("…#Set/@Element") or the service document. Recognised by "odata.metadata" pointing at standard.odata; mapped by
 * the entity set name with the УТ 11 field names.
 */

type ReadResult = Awaited<ReturnType<PayloadFormat['read']>>;

const METADATA = /"odata\.metadata"\s*:\s*"([^"]*standard\.odata[^"]*)"/;

function detectOnecOdata(head: Buffer): string | null {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*\{/.test(text)) return null;
  const m = METADATA.exec(text);
  if (!m) return null;
  const { set, element } = entitySetOf(m[1]);
  if (!set) return '1c-odata/service-document';
  return `1c-odata/${set}${element ? '/@Element' : ''}`;
}

/** Maps the rows of one entity set into the batches the inspect CLI prints. */
export function readOnecOdataJson(json: unknown): ReadResult & Record<string, unknown> {
  const doc = json as { 'odata.metadata'?: string; value?: OnecRow[] } & OnecRow;
  const { set, element } = entitySetOf(doc['odata.metadata']);
  const out: ReadResult & Record<string, unknown> = {};
  if (!set) {
    out.entitySets = serviceDocumentSets(doc);
    return out;
  }
  const rows: OnecRow[] = element ? [doc] : Array.isArray(doc.value) ? doc.value : [];
  const p = UT11_PROFILE;
  const base = set.replace(/\/.*$/, '');
  if (base === 'Catalog_Номенклатура') {
    out.groups = rows.filter((r) => r.IsFolder === true).map(mapGroup);
    out.products = rows.filter((r) => r.IsFolder !== true).map((r) => mapProduct(r, p, { units: new Map() }));
  } else if (base === 'Catalog_ЕдиницыИзмерения' || base === 'Catalog_УпаковкиЕдиницыИзмерения') {
    out.units = rows.map(mapUnit);
  } else if (base === 'Catalog_Склады') {
    out.warehouses = rows.filter((r) => r.IsFolder !== true).map((r) => mapWarehouse(r, p));
  } else if (base === 'Catalog_ВидыЦен') {
    out.priceTypes = rows.filter((r) => r.IsFolder !== true).map((r): ErpPriceType => ({
      ref: refOf(r.Ref_Key, r.Code) ?? { erpId: '' }, name: str(r.Description), currency: 'RUB', vatIncluded: r.ЦенаВключаетНДС === true,
    }));
  } else if (base.startsWith('InformationRegister_ЦеныНоменклатуры')) {
    out.prices = rows.map((r) => mapPrice(r, p, new Map()));
  } else if (base.startsWith('AccumulationRegister_') && /_Balance$/.test(base)) {
    out.stock = rows.filter((r) => r.ВНаличииBalance !== undefined).map((r): ErpStock => mapStockBalance(r, { product: 'Номенклатура', warehouse: 'Склад', onHand: 'ВНаличии', reserved: 'ВРезервеСоСклада' }));
  } else if (base === 'Catalog_Партнеры' || base === 'Catalog_Контрагенты') {
    out.customers = rows.filter((r) => r.IsFolder !== true).map((r): ErpCustomer => mapCustomer(r, base === 'Catalog_Контрагенты' ? r : undefined, undefined, p));
  } else if (base === 'Document_ЗаказКлиента') {
    out.orderStates = rows.map((r) => mapOrderState(r, p, false, externalIdFromComment(r.Комментарий)));
  } else if (base.startsWith('Document_')) {
    out.documents = rows.map((r) => mapGenericDocument(r, base));
  } else {
    out.rows = rows;
  }
  return out;
}

export const onecOdataFormats: PayloadFormat[] = [
  {
    id: '1c-odata',
    detect: (head) => detectOnecOdata(head),
    async read(filePath) {
      const text = (await readFile(filePath, 'utf8')).replace(/^\uFEFF/, '');
      return readOnecOdataJson(JSON.parse(text)) as Partial<InboundBatches>;
    },
  },
];
