import type { Logger } from '../../lib/logger.js';
import { compareDecimals } from '../../lib/decimal.js';
import {
  ErpError,
  type Capabilities, type Cursor, type ErpConnector, type ErpFile, type ErpOrderState, type Page, type SubmitOrder, type SubmitResult,
} from '../port.js';
import { contentTypeOf } from '../file-type.js';
import { createLocalDropFolder, DropFolderError, type DropFolder } from './drop-folder.js';
import { entityOfFile, FILE_PATTERNS, type FileEntities, type FileEntity } from './file-entities.js';
import { errorReport, readEntityFile } from './read-entity-file.js';
import { fileSafe, orderFileBase, renderOrderCsv, renderOrderXml } from './render-order-files.js';

/**
 * ErpConnector for an ERP without an API, through a shared folder (FORMAT.md). The ERP drops snapshots into `in/`; each
 * pull first takes in what arrived (valid files to `processed/`, broken ones to `failed/` with a report naming line and
 * column) and then answers from the newest accepted snapshot of that kind. Orders go to `out/` as CSV + XML, each
 * written under a temporary name and renamed. Order states come back as `in/order-states*.csv` and are merged.
 */

export interface FilesConnectorDeps {
  /** The drop folder's root (must exist: an unmounted share is an error, not an empty folder). */
  dir: string;
  /** Another store for the same layout (a network share client; tests pass a fault-injecting one). */
  folder?: DropFolder;
  logger?: Logger;
  /** Files in `in/` younger than this are left for the next pull (an ERP that writes in place is not done yet). Default 5 s. */
  settleMs?: number;
  pageSize?: number;
  now?: () => Date;
}

export interface InboxReport {
  accepted: Array<{ file: string; entity: FileEntity; items: number; storedAs: string }>;
  rejected: Array<{ file: string; entity: FileEntity; errors: string[]; storedAs: string }>;
}

export interface FilesConnector extends ErpConnector {
  /** Takes in what is waiting in `in/` now (pulls do it too). */
  importInbox(): Promise<InboxReport>;
}

const CAPABILITIES: Capabilities = {
  catalog: 'pull',
  incremental: { products: 'snapshot', prices: 'snapshot', stock: 'snapshot', finance: 'snapshot', documents: 'snapshot', orderStates: 'modified-since' },
  stock: true,
  prices: true,
  finance: true,
  creditLimits: true,
  documents: true,
  documentFiles: true,
  productPictures: true,
  createOrder: true,
  postOrder: false,
  claims: false,
  reserve: false,
  waitingList: false,
  maxConcurrency: 1,
};

const STATE_FILE = 'order-states.json';

function toErpError(err: unknown): unknown {
  if (!(err instanceof DropFolderError)) return err;
  switch (err.code) {
    case 'unavailable':
      return new ErpError('transient', `drop folder unavailable: ${err.message}`, { cause: err });
    case 'denied':
      return new ErpError('auth', `drop folder access denied: ${err.message}`, { cause: err });
    case 'busy':
      return new ErpError('rate-limited', `drop folder busy: ${err.message}`, { retryAfterMs: err.retryAfterMs ?? 5000, cause: err });
    case 'rejected':
      return new ErpError('validation', err.message, { cause: err });
    default:
      return new ErpError('transient', `drop folder I/O error: ${err.message}`, { cause: err });
  }
}

type Token = { f: string; o: number };

export function createFilesConnector(deps: FilesConnectorDeps): FilesConnector {
  const folder = deps.folder ?? createLocalDropFolder(deps.dir);
  const settleMs = deps.settleMs ?? 5000;
  const pageSize = deps.pageSize ?? 1000;
  const now = deps.now ?? (() => new Date());
  const cache = new Map<string, unknown[]>();
  let stampSeq = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toErpError(err);
    }
  };

  const stamp = () => `${now().toISOString().replace(/[-:.]/g, '')}-${String(stampSeq++ % 1000).padStart(3, '0')}`;

  async function readStates(): Promise<Record<string, ErpOrderState>> {
    if (!(await folder.exists('state', STATE_FILE))) return {};
    return JSON.parse((await folder.read('state', STATE_FILE)).toString('utf8')) as Record<string, ErpOrderState>;
  }

  async function mergeStates(states: ErpOrderState[]): Promise<void> {
    const merged = await readStates();
    for (const s of states) {
      const prev = merged[s.erpRef.erpId];
      if (!prev || !prev.updatedAt || !s.updatedAt || s.updatedAt >= prev.updatedAt) merged[s.erpRef.erpId] = s;
    }
    await folder.write('state', STATE_FILE, Buffer.from(JSON.stringify(merged)));
  }

  async function importInboxNow(): Promise<InboxReport> {
    const report: InboxReport = { accepted: [], rejected: [] };
    const entries = await folder.list('in');
    const cutoff = now().getTime() - settleMs;
    for (const e of entries) {
      const entity = entityOfFile(e.name);
      if (!entity || /\.(tmp|part)$/i.test(e.name) || e.mtimeMs > cutoff) continue;
      const bytes = await folder.read('in', e.name);
      const result = await readEntityFile(entity, e.name, bytes);
      const storedAs = `${stamp()}-${e.name}`;
      if (result.errors.length) {
        await folder.move('in', e.name, 'failed', storedAs);
        await folder.write('failed', `${storedAs}.errors.txt`, Buffer.from(errorReport(e.name, result.errors), 'utf8'));
        deps.logger?.warn({ file: e.name, errors: result.errors.length }, 'drop folder: file rejected');
        report.rejected.push({ file: e.name, entity, errors: result.errors.map((x) => x.message), storedAs });
        continue;
      }
      if (entity === 'orderStates') await mergeStates(result.items as ErpOrderState[]);
      await folder.move('in', e.name, 'processed', storedAs);
      cache.set(storedAs, result.items);
      report.accepted.push({ file: e.name, entity, items: result.items.length, storedAs });
    }
    return report;
  }

  /** Serialized: two pulls at once must not take the same file in twice. */
  function importInbox(): Promise<InboxReport> {
    const run = queue.then(importInboxNow);
    queue = run.catch(() => undefined);
    return guard(() => run);
  }

  /** Items of the newest accepted snapshot of a kind (or of the file a cursor started on). */
  async function snapshot<E extends FileEntity>(entity: E, file?: string): Promise<{ file: string | null; items: Array<FileEntities[E]> }> {
    const name = file ?? (await folder.list('processed')).map((x) => x.name).filter((n) => FILE_PATTERNS[entity].test(n.replace(/^\d{8}T\d{9}Z-\d{3}-/, ''))).sort().pop();
    if (!name) return { file: null, items: [] };
    let items = cache.get(name) as Array<FileEntities[E]> | undefined;
    if (!items) {
      const result = await readEntityFile(entity, name.replace(/^\d{8}T\d{9}Z-\d{3}-/, ''), await folder.read('processed', name));
      items = result.items;
      cache.set(name, items);
      if (cache.size > 12) cache.delete(cache.keys().next().value as string);
    }
    return { file: name, items };
  }

  async function paged<E extends FileEntity>(entity: E, cursor: Cursor | null, filter: (x: FileEntities[E]) => boolean = () => true): Promise<Page<FileEntities[E]>> {
    return guard(async () => {
      let token: Token | null = null;
      if (cursor) {
        try {
          token = JSON.parse(cursor.token) as Token;
        } catch {
          throw new ErpError('validation', 'drop-folder cursor is not one this adapter issued');
        }
      } else {
        await importInbox();
      }
      const snap = await snapshot(entity, token?.f);
      const all = snap.items.filter(filter);
      const offset = token?.o ?? 0;
      const items = all.slice(offset, offset + pageSize);
      const next = snap.file && offset + items.length < all.length ? { token: JSON.stringify({ f: snap.file, o: offset + items.length } satisfies Token) } : null;
      return { items, next, total: all.length };
    });
  }

  async function list<E extends FileEntity>(entity: E): Promise<Array<FileEntities[E]>> {
    return guard(async () => {
      await importInbox();
      return (await snapshot(entity)).items;
    });
  }

  async function orderFromOut(externalId: string): Promise<ErpOrderState | null> {
    const suffix = `__${fileSafe(externalId)}.`;
    const files = (await folder.list('out')).filter((f) => f.name.includes(suffix) && f.name.endsWith('.xml'));
    const file = files[0];
    if (!file) return null;
    const xml = (await folder.read('out', file.name)).toString('utf8');
    const number = /\bnumber="([^"]*)"/.exec(xml)?.[1] ?? '';
    return { externalId, erpRef: { erpId: externalId }, number: number.replace(/&quot;/g, '"').replace(/&amp;/g, '&'), status: 'draft', rawStatus: 'передан в ERP (out/), ожидает загрузки', posted: false };
  }

  async function findOrder(externalId: string): Promise<ErpOrderState | null> {
    await importInbox();
    const states = Object.values(await readStates()).filter((s) => s.externalId === externalId);
    if (states.length) return states.sort((a, b) => (a.updatedAt ?? '').localeCompare(b.updatedAt ?? '')).pop() as ErpOrderState;
    return orderFromOut(externalId);
  }

  /** Document files in documents/, named by the document id (any extension): id → file name. */
  async function documentFiles(): Promise<Map<string, string>> {
    const names = (await folder.list('documents')).map((e) => e.name).sort();
    return new Map(names.map((n) => [n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : n, n]));
  }

  async function fileOf(area: 'pictures' | 'documents', name: string): Promise<ErpFile> {
    const bytes = await folder.read(area, name);
    return { bytes, fileName: name, contentType: contentTypeOf(bytes, name) };
  }

  const connector: FilesConnector = {
    kind: 'files',
    capabilities: CAPABILITIES,
    importInbox,

    async health() {
      const started = performance.now();
      try {
        await guard(() => folder.probe());
        return { ok: true, latencyMs: Math.round(performance.now() - started) };
      } catch (err) {
        return { ok: false, latencyMs: Math.round(performance.now() - started), details: (err as Error).message };
      }
    },

    productGroups: () => list('groups'),
    products: (cursor) => paged('products', cursor),
    warehouses: () => list('warehouses'),
    priceTypes: () => list('priceTypes'),
    prices: (q, cursor) => {
      const types = new Set((q.priceTypeRefs ?? []).map((r) => r.erpId));
      return paged('prices', cursor, (p) => types.size === 0 || types.has(p.priceTypeRef.erpId));
    },
    stock: (q, cursor) => {
      const whs = new Set((q.warehouseRefs ?? []).map((r) => r.erpId));
      const products = new Set((q.productRefs ?? []).map((r) => r.erpId));
      return paged('stock', cursor, (s) => (whs.size === 0 || whs.has(s.warehouseRef.erpId)) && (products.size === 0 || products.has(s.productRef.erpId)));
    },
    customers: (cursor) => paged('customers', cursor),
    async customerFinance(refs) {
      const wanted = new Set(refs.map((r) => r.erpId));
      return (await list('finance')).filter((f) => wanted.has(f.customerRef.erpId));
    },
    async documents(q, cursor) {
      const from = q.from.slice(0, 10);
      const to = q.to.slice(0, 10);
      const page = await paged('documents', cursor, (d) => (!q.customerRef || d.customerRef.erpId === q.customerRef.erpId) && d.date.slice(0, 10) >= from && d.date.slice(0, 10) <= to);
      const files = await guard(documentFiles);
      return { ...page, items: page.items.map((d) => ({ ...d, hasFile: files.has(fileSafe(d.ref.erpId)) })) };
    },
    async documentFile(ref) {
      return guard(async () => {
        const name = (await documentFiles()).get(fileSafe(ref.erpId));
        if (!name) throw new ErpError('not-found', `drop folder: documents/ holds no file for document ${ref.code ?? ref.erpId}`);
        return fileOf('documents', name);
      });
    },
    async productPicture(key) {
      if (!/^[^/\\\0]+$/.test(key) || key === '.' || key === '..') throw new ErpError('validation', `drop folder: "${key}" is not a picture file name`);
      return guard(async () => {
        if (!(await folder.exists('pictures', key))) throw new ErpError('not-found', `drop folder: pictures/${key} does not exist`);
        return fileOf('pictures', key);
      });
    },
    async orderStates(q, cursor) {
      return guard(async () => {
        if (cursor) return { items: [], next: null };
        await importInbox();
        const ids = q.externalIds ? new Set(q.externalIds) : null;
        const since = q.since?.slice(0, 19);
        const items = Object.values(await readStates()).filter((s) => (!ids || (s.externalId && ids.has(s.externalId))) && (!since || (s.updatedAt ?? '').slice(0, 19) >= since));
        return { items, next: null };
      });
    },

    async findByExternalId(kind, externalId) {
      if (kind !== 'order') throw new ErpError('unsupported', 'the drop folder exchanges orders only');
      return guard(() => findOrder(externalId));
    },

    async submitOrder(cmd: SubmitOrder): Promise<SubmitResult> {
      return guard(async () => {
        const existing = await findOrder(cmd.externalId);
        if (existing) return { state: 'already-exists', erpRef: existing.erpRef, number: existing.number };
        if (cmd.lines.length === 0) throw new ErpError('validation', 'the order has no lines');
        const known = new Map((await snapshot('products')).items.map((p) => [p.ref.erpId, p]));
        cmd.lines.forEach((l, k) => {
          if (compareDecimals(l.qty, '0') <= 0) throw new ErpError('validation', `line ${k + 1}: quantity ${l.qty} must be positive`);
          if (compareDecimals(l.price, '0') < 0) throw new ErpError('validation', `line ${k + 1}: price ${l.price} is negative`);
          const p = known.get(l.productRef.erpId);
          if (known.size > 0 && !p) throw new ErpError('validation', `line ${k + 1}: product ${l.productRef.erpId} is not in the ERP's product list`);
          if (p?.deleted) throw new ErpError('validation', `line ${k + 1}: product ${p.sku ?? p.ref.erpId} is marked deleted in the ERP`);
        });
        const createdAt = now().toISOString();
        const base = orderFileBase(cmd);
        // XML first, CSV last: an ERP watching for *.csv finds both files complete.
        await folder.write('out', `${base}.xml`, renderOrderXml(cmd, createdAt));
        await folder.write('out', `${base}.csv`, renderOrderCsv(cmd, createdAt));
        return { state: 'created', erpRef: { erpId: cmd.externalId }, number: cmd.number };
      });
    },
  };
  return connector;
}
