import type { Readable } from 'node:stream';
import type { ErpCustomer, InboundBatches, InboundEvent } from '../port.js';
import {
  createCmlContext, mapDocument, mapGroupTree, mapOffer, mapPriceType, mapProduct, mapWarehouse, rememberProperty, rememberUnit,
  type CmlContext,
} from './cml-mappers.js';
import { isTrue, type XNode } from './xml-node.js';
import { streamXmlRecords } from './xml-stream.js';

/**
 * Streaming CommerceML 2.x/3.x reader: import.xml (Классификатор + Каталог), offers.xml (ПакетПредложений with
 * prices and per-warehouse stock), the Bitrix module 3.1 split files prices.xml / rests.xml, and documents.xml (orders
 * and their statuses from 1C). Items are mapped as they stream by and handed to the sink in batches; the sink is
 * awaited before more of the file is read.
 */

export const CML_ROOT = 'КоммерческаяИнформация';

export type CmlBatchSink = <E extends InboundEvent>(event: E, items: InboundBatches[E], meta: { fullSnapshot: boolean }) => Promise<void>;

export interface CmlParseOptions {
  batchSize?: number;
  fileName?: string;
  /** Shared across the files of one exchange so offers.xml can resolve what import.xml defined. */
  context?: CmlContext;
  onBytes?(bytesRead: number): void;
  /** Buyers found in documents (Контрагенты with Роль «Покупатель»). */
  onCustomers?(customers: ErpCustomer[]): void;
}

export type CmlSection = 'classifier' | 'catalog' | 'offers' | 'documents';

export interface CmlParseSummary {
  /** "commerceml-2.07", "commerceml-3.1". */
  formatId: string;
  schemaVersion: string;
  namespace: string;
  encoding: string;
  bytes: number;
  sections: CmlSection[];
  /** False when any package said СодержитТолькоИзменения="true". */
  fullSnapshot: boolean;
  counts: Record<InboundEvent, number> & { customers: number; orderLines: number };
}

export class NotCommerceMlError extends Error {
  constructor(rootName: string) {
    super(`not a CommerceML file: the root element is <${rootName}>, expected <${CML_ROOT}>`);
    this.name = 'NotCommerceMlError';
  }
}

const OFFER_PACKAGES = new Set(['ПакетПредложений', 'ИзмененияПакетаПредложений']);

type RecordKind = 'group' | 'property' | 'priceType' | 'warehouse' | 'unit' | 'product' | 'offer' | 'document';

function recordKind(path: readonly string[]): RecordKind | undefined {
  const n = path.length;
  const name = path[n - 1];
  if (n === 2) return name === 'Документ' ? 'document' : undefined;
  if (n === 3) return path[1] === 'Контейнер' && name === 'Документ' ? 'document' : undefined;
  if (n !== 4) return undefined;
  const section = path[1] as string;
  const list = path[2];
  if (section === 'Классификатор') {
    if (list === 'Группы' && name === 'Группа') return 'group';
    if (list === 'Свойства' && (name === 'Свойство' || name === 'СвойствоНоменклатуры')) return 'property';
    if (list === 'ТипыЦен' && name === 'ТипЦены') return 'priceType';
    if (list === 'Склады' && name === 'Склад') return 'warehouse';
    if (list === 'ЕдиницыИзмерения' && name === 'ЕдиницаИзмерения') return 'unit';
    return undefined;
  }
  if (section === 'Каталог') return list === 'Товары' && name === 'Товар' ? 'product' : undefined;
  if (OFFER_PACKAGES.has(section)) {
    if (list === 'ТипыЦен' && name === 'ТипЦены') return 'priceType';
    if (list === 'Склады' && name === 'Склад') return 'warehouse';
    if (list === 'Предложения' && name === 'Предложение') return 'offer';
  }
  return undefined;
}

export async function parseCommerceMl(source: string | Readable, sink: CmlBatchSink, options: CmlParseOptions = {}): Promise<CmlParseSummary> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const ctx = options.context ?? createCmlContext();
  const counts: CmlParseSummary['counts'] = { groups: 0, products: 0, priceTypes: 0, prices: 0, warehouses: 0, stock: 0, orderStates: 0, customers: 0, orderLines: 0 };
  const delta: Record<CmlSection, boolean> = { classifier: false, catalog: false, offers: false, documents: false };
  const sections = new Set<CmlSection>();
  const buffers = new Map<InboundEvent, { fullSnapshot: boolean; items: unknown[] }>();
  const ready: Array<{ event: InboundEvent; fullSnapshot: boolean; items: unknown[] }> = [];
  const seenCustomers = new Set<string>();

  const push = (event: InboundEvent, items: unknown[], fullSnapshot: boolean) => {
    if (items.length === 0) return;
    counts[event] += items.length;
    for (const item of items) {
      let buf = buffers.get(event);
      if (buf && buf.fullSnapshot !== fullSnapshot) {
        ready.push({ event, ...buf });
        buf = undefined;
      }
      if (!buf) {
        buf = { fullSnapshot, items: [] };
        buffers.set(event, buf);
      }
      buf.items.push(item);
      if (buf.items.length >= batchSize) {
        ready.push({ event, fullSnapshot, items: buf.items });
        buffers.delete(event);
      }
    }
  };
  const flush = async () => {
    while (ready.length > 0) {
      const b = ready.shift() as (typeof ready)[number];
      await sink(b.event, b.items as never, { fullSnapshot: b.fullSnapshot });
    }
  };
  const sectionOf = (path: readonly string[]): CmlSection =>
    path[1] === 'Классификатор' ? 'classifier' : path[1] === 'Каталог' ? 'catalog' : OFFER_PACKAGES.has(path[1] as string) ? 'offers' : 'documents';

  const onRecord = (path: readonly string[], node: XNode) => {
    const section = sectionOf(path);
    const full = !delta[section];
    switch (recordKind(path)) {
      case 'group':
        push('groups', mapGroupTree(node, null), full);
        break;
      case 'property':
        rememberProperty(node, ctx);
        break;
      case 'unit':
        rememberUnit(node, ctx);
        break;
      case 'priceType':
        push('priceTypes', [mapPriceType(node, ctx)], full);
        break;
      case 'warehouse':
        push('warehouses', [mapWarehouse(node, ctx)], full);
        break;
      case 'product':
        push('products', [mapProduct(node, ctx)], full);
        break;
      case 'offer': {
        const { prices, stock } = mapOffer(node, ctx);
        push('prices', prices, full);
        push('stock', stock, full);
        break;
      }
      case 'document': {
        sections.add('documents');
        const { state, customers } = mapDocument(node);
        counts.orderLines += state.lines?.length ?? 0;
        push('orderStates', [state], true);
        const fresh = customers.filter((c) => !seenCustomers.has(c.ref.erpId));
        for (const c of fresh) seenCustomers.add(c.ref.erpId);
        counts.customers += fresh.length;
        if (fresh.length) options.onCustomers?.(fresh);
        break;
      }
      default:
        break;
    }
  };

  let rootChecked = false;
  const result = await streamXmlRecords(
    source,
    {
      onOpen(path, attrs) {
        if (path.length === 1) {
          rootChecked = true;
          if (path[0] !== CML_ROOT) throw new NotCommerceMlError(path[0] as string);
          return;
        }
        if (path.length === 2) {
          const section = sectionOf(path);
          if (section !== 'documents' || path[1] === 'Документ' || path[1] === 'Контейнер') sections.add(section);
          if (path[1] === 'ИзмененияПакетаПредложений') delta.offers = true;
          if (attrs['СодержитТолькоИзменения'] !== undefined) delta[section] = isTrue(attrs['СодержитТолькоИзменения']);
        }
      },
      isRecord: (path) => {
        if (path.length === 1 && path[0] !== CML_ROOT) throw new NotCommerceMlError(path[0] as string);
        return recordKind(path) !== undefined;
      },
      onRecord,
      flush,
    },
    { fileName: options.fileName, onBytes: options.onBytes },
  );
  if (!rootChecked && result.rootName !== CML_ROOT) throw new NotCommerceMlError(result.rootName);
  for (const [event, buf] of buffers) ready.push({ event, ...buf });
  buffers.clear();
  await flush();

  const namespace = result.rootAttrs['xmlns'] ?? '';
  const schemaVersion = (result.rootAttrs['ВерсияСхемы'] ?? (namespace.includes('commerceml_3') ? '3' : '2')).trim();
  return {
    formatId: `commerceml-${schemaVersion}`,
    schemaVersion,
    namespace,
    encoding: result.encoding,
    bytes: result.bytes,
    sections: [...sections],
    fullSnapshot: !Object.values(delta).some(Boolean),
    counts,
  };
}
