import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../../lib/logger.js';
import type { InboundEvent } from '../port.js';
import { createCmlContext, type CmlContext } from './cml-mappers.js';
import { resolveExchangeFile } from './exchange-file-name.js';
import type { PictureStore } from './exchange-pictures.js';
import type { OpenedSession, SessionStore } from './exchange-sessions.js';
import { parseCommerceMl, type CmlParseSummary } from './parse-commerceml.js';
import { EmptyPayloadError, XmlDataError, XmlEncodingError, XmlSyntaxError } from './xml-stream.js';
import { unzipToDir, type ZipLimits } from './zip-entries.js';

/**
 * `mode=import`: parses an uploaded file in the background and answers within `stepMs`: `success` when done,
 * `progress` while it runs (1C calls again), `failure` with the reason (bad XML with line and column). Files of a
 * session are processed one at a time, in the order 1C asks for them. Progress is written to the session's state
 * with a heartbeat, so an instance that did not start the job answers `progress` too, and takes the job over when
 * the heartbeat stops.
 */

export type Deliver = (portalId: number, event: InboundEvent, items: unknown[], fullSnapshot: boolean) => Promise<void>;

export interface ImportRunnerDeps {
  store: SessionStore;
  instanceId: string;
  stepMs: number;
  batchSize: number;
  deliver: Deliver;
  logger: Logger;
  zipLimits: ZipLimits;
  /** Where the catalog's pictures (import_files/…) go before the session directory is cleared. */
  pictures?: PictureStore;
  heartbeatMs?: number;
}

export interface StepAnswer {
  kind: 'success' | 'progress' | 'failure';
  text: string;
}

/** Canonical order of CommerceML files inside one archive: classifier and catalog before offers, prices, rests. */
const rank = (name: string) => {
  const b = basename(name).toLowerCase();
  return b.startsWith('import') ? 0 : b.startsWith('offers') ? 1 : b.startsWith('prices') ? 2 : b.startsWith('rests') ? 3 : 4;
};
export const orderCmlFiles = (files: string[]) => [...files].sort((a, b) => a.split('/').length - b.split('/').length || rank(a) - rank(b) || a.localeCompare(b));

/** A person-readable reason for 1C's exchange log (it shows the text after `failure`). */
export function describeImportError(fileName: string, err: unknown): string {
  if (err instanceof XmlSyntaxError) return `Ошибка XML в файле ${fileName}, строка ${err.line}, позиция ${err.column}: ${err.message.replace(/^malformed XML at \d+:\d+( in \S+)?: /, '')}`;
  if (err instanceof XmlDataError) return `Ошибка данных в файле ${fileName}: ${err.message}`;
  if (err instanceof XmlEncodingError) return `Файл ${fileName}: неподдерживаемая кодировка «${err.encoding}»`;
  if (err instanceof EmptyPayloadError) return `Файл ${fileName} пуст`;
  return `Ошибка обработки файла ${fileName}: ${(err as Error)?.message ?? String(err)}`;
}

function summaryText(fileName: string, counts: CmlParseSummary['counts']): string {
  const parts = [
    ['групп', counts.groups], ['товаров', counts.products], ['типов цен', counts.priceTypes], ['складов', counts.warehouses],
    ['цен', counts.prices], ['остатков', counts.stock], ['документов', counts.orderStates],
  ].filter(([, n]) => (n as number) > 0).map(([w, n]) => `${w} ${n}`);
  return `Файл ${fileName} обработан${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function addCounts(a: CmlParseSummary['counts'], b: CmlParseSummary['counts']) {
  for (const k of Object.keys(a) as Array<keyof typeof a>) a[k] += b[k];
}

const emptyCounts = (): CmlParseSummary['counts'] => ({ groups: 0, products: 0, priceTypes: 0, prices: 0, warehouses: 0, stock: 0, orderStates: 0, customers: 0, orderLines: 0 });

export function createImportRunner(deps: ImportRunnerDeps) {
  const jobs = new Map<string, Promise<void>>();
  const progress = new Map<string, { bytesRead: number; totalBytes: number }>();
  /** Classifier dictionaries of a session, so offers.xml can use import.xml's price type currencies and units. */
  const contexts = new Map<string, CmlContext>();
  const heartbeatMs = deps.heartbeatMs ?? 2000;
  const staleMs = heartbeatMs * 5;

  const contextOf = (sessionId: string) => {
    let c = contexts.get(sessionId);
    if (!c) {
      c = createCmlContext();
      contexts.set(sessionId, c);
      if (contexts.size > 100) contexts.delete(contexts.keys().next().value as string);
    }
    return c;
  };

  /** Unpacks archives uploaded since the last call (1C sends one archive when we answered zip=yes). */
  async function unzipPending(session: OpenedSession, type: 'catalog' | 'sale'): Promise<Record<string, string[]>> {
    const dir = join(session.dir, type);
    const state = (await deps.store.read(session.id)) ?? session.state;
    const done = { ...state.unzipped };
    const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.zip') && !(`${type}/${n}` in done));
    for (const name of names) {
      const files = await unzipToDir(join(dir, name), dir, deps.zipLimits);
      await rm(join(dir, name), { force: true });
      done[`${type}/${name}`] = files;
      await deps.store.update(session.id, (s) => {
        s.unzipped[`${type}/${name}`] = files;
      });
    }
    return done;
  }

  /** The XML files a `filename` stands for: itself, or the XML files of an archive of that name. */
  async function filesFor(session: OpenedSession, type: 'catalog' | 'sale', fileName: string): Promise<string[]> {
    const unzipped = await unzipPending(session, type);
    const target = resolveExchangeFile(join(session.dir, type), fileName);
    const fromZip = unzipped[`${type}/${target.relative}`];
    if (fromZip) return orderCmlFiles(fromZip.filter((f) => f.toLowerCase().endsWith('.xml')));
    return [target.relative];
  }

  async function parseFiles(session: OpenedSession, type: 'catalog' | 'sale', files: string[], onBytes: (n: number) => void): Promise<CmlParseSummary['counts']> {
    const counts = emptyCounts();
    let before = 0;
    for (const f of files) {
      const abs = resolveExchangeFile(join(session.dir, type), f).absolute;
      const size = (await stat(abs)).size;
      try {
        const summary = await parseCommerceMl(
          abs,
          (event, items, meta) => deps.deliver(session.state.portalId, event, items as unknown[], meta.fullSnapshot),
          { batchSize: deps.batchSize, fileName: f, context: contextOf(session.id), onBytes: (n) => onBytes(before + n) },
        );
        addCounts(counts, summary.counts);
      } catch (err) {
        throw Object.assign(new Error(describeImportError(f, err)), { cause: err });
      }
      before += size;
    }
    return counts;
  }

  function start(session: OpenedSession, key: string, fileName: string, files: string[], totalBytes: number): Promise<void> {
    const jobKey = `${session.id}|${key}`;
    const now = () => new Date().toISOString();
    const p = { bytesRead: 0, totalBytes };
    progress.set(jobKey, p);
    const job = (async () => {
      await deps.store.update(session.id, (s) => {
        s.imports[key] = { status: 'running', owner: deps.instanceId, startedAt: now(), heartbeatAt: now(), bytesRead: 0, totalBytes };
      });
      const beat = setInterval(() => {
        void deps.store.update(session.id, (s) => {
          const st = s.imports[key];
          if (st?.status === 'running' && st.owner === deps.instanceId) Object.assign(st, { heartbeatAt: now(), bytesRead: p.bytesRead });
        }).catch(() => undefined);
      }, heartbeatMs);
      beat.unref();
      try {
        const counts = await parseFiles(session, 'catalog', files, (n) => {
          p.bytesRead = n;
        });
        await deps.store.update(session.id, (s) => {
          s.imports[key] = { ...(s.imports[key] as NonNullable<(typeof s.imports)[string]>), status: 'done', heartbeatAt: now(), bytesRead: totalBytes, message: summaryText(fileName, counts) };
        });
      } catch (err) {
        deps.logger.warn({ err, portalId: session.state.portalId, fileName }, 'CommerceML import failed');
        await deps.store.update(session.id, (s) => {
          s.imports[key] = { ...(s.imports[key] as NonNullable<(typeof s.imports)[string]>), status: 'failed', heartbeatAt: now(), message: (err as Error).message };
        }).catch(() => undefined);
      } finally {
        clearInterval(beat);
        jobs.delete(jobKey);
        progress.delete(jobKey);
      }
    })();
    jobs.set(jobKey, job);
    return job;
  }

  function progressText(fileName: string, bytesRead: number, totalBytes: number): string {
    const pct = totalBytes > 0 ? Math.min(99, Math.floor((bytesRead / totalBytes) * 100)) : 0;
    return `Обработка файла ${fileName}: ${pct}% (${Math.round(bytesRead / 1024)} из ${Math.round(totalBytes / 1024)} КБ)`;
  }

  async function waitFor(job: Promise<void>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([job.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return done;
  }

  return {
    /** One `mode=import` call: starts or continues the file's import and answers within stepMs. */
    async step(session: OpenedSession, fileName: string): Promise<StepAnswer> {
      const files = await filesFor(session, 'catalog', fileName);
      // Every import call (after the archive is unpacked) moves the pictures that arrived so far into the portal's
      // store: 1C may send pictures after import.xml, and the session's files go away on init or the idle sweep.
      if (deps.pictures) {
        const { left } = await deps.pictures.collect(session.state.portalId, join(session.dir, 'catalog'), Date.now() + deps.stepMs);
        if (left > 0) return { kind: 'progress', text: `Сохранение картинок товаров: осталось ${left}` };
      }
      const key = `catalog:${resolveExchangeFile(join(session.dir, 'catalog'), fileName).relative}`;
      const jobKey = `${session.id}|${key}`;
      const state = (await deps.store.read(session.id)) ?? session.state;
      const mine = state.imports[key];
      if (mine?.status === 'done') return { kind: 'success', text: mine.message ?? `Файл ${fileName} обработан` };
      if (mine?.status === 'failed') return { kind: 'failure', text: mine.message ?? `Файл ${fileName} не обработан` };
      // One file at a time, in the order 1C asked: another running import of this session goes first.
      const other = Object.entries(state.imports).find(([k, s]) => k !== key && s.status === 'running' && Date.now() - Date.parse(s.heartbeatAt) < staleMs);
      if (other) return { kind: 'progress', text: `Ожидание: обрабатывается ${other[0].replace(/^catalog:/, '')}` };

      let job = jobs.get(jobKey);
      if (!job) {
        const runningElsewhere = mine?.status === 'running' && mine.owner !== deps.instanceId && Date.now() - Date.parse(mine.heartbeatAt) < staleMs;
        if (runningElsewhere) return { kind: 'progress', text: progressText(fileName, mine.bytesRead, mine.totalBytes) };
        let total = 0;
        for (const f of files) {
          const abs = resolveExchangeFile(join(session.dir, 'catalog'), f).absolute;
          const st = await stat(abs).catch(() => null);
          if (!st?.isFile()) return { kind: 'failure', text: `Файл ${f} не найден: сначала передайте его (mode=file)` };
          total += st.size;
        }
        job = start(session, key, fileName, files, total);
      }
      if (await waitFor(job, deps.stepMs)) {
        const after = (await deps.store.read(session.id))?.imports[key];
        if (after?.status === 'done') return { kind: 'success', text: after.message ?? `Файл ${fileName} обработан` };
        return { kind: 'failure', text: after?.message ?? `Файл ${fileName} не обработан: состояние обмена потеряно` };
      }
      const p = progress.get(jobKey) ?? { bytesRead: 0, totalBytes: 0 };
      return { kind: 'progress', text: progressText(fileName, p.bytesRead, p.totalBytes) };
    },

    /** `type=sale&mode=file`: order documents from 1C, applied at once (they are small). */
    async applySaleFile(session: OpenedSession, fileName: string): Promise<StepAnswer> {
      const files = await filesFor(session, 'sale', fileName);
      try {
        const counts = await parseFiles(session, 'sale', files, () => undefined);
        return { kind: 'success', text: summaryText(fileName, counts) };
      } catch (err) {
        deps.logger.warn({ err, portalId: session.state.portalId, fileName }, 'CommerceML documents failed');
        return { kind: 'failure', text: (err as Error).message };
      }
    },

    forget(sessionId: string): void {
      contexts.delete(sessionId);
    },

    /** Waits for running jobs (graceful shutdown, tests). */
    async idle(): Promise<void> {
      await Promise.allSettled([...jobs.values()]);
    },
  };
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
