import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import iconv from 'iconv-lite';
import type { AppContext } from '../../context.js';
import type { ErpFile, ErpInboundFeed, InboundBatches, InboundEvent } from '../port.js';
import { loginMatches, type ExchangeCredentials } from './exchange-credentials.js';
import { ExchangeFileNameError, resolveExchangeFile } from './exchange-file-name.js';
import { createImportRunner, type StepAnswer } from './exchange-import.js';
import { createPictureStore } from './exchange-pictures.js';
import { createSessionStore, type ExchangeType, type OpenedSession } from './exchange-sessions.js';
import { receiveChunk, UploadError } from './exchange-upload.js';
import { renderOrdersXml, type CmlExportOrder } from './render-orders-xml.js';

/**
 * Our side of 1C's «обмен с сайтом» (CommerceML exchange protocol): 1C is the initiator and calls
 * `GET|POST /erp/1c-exchange/:portalKey?type=catalog|sale&mode=checkauth|init|file|import|query|success`.
 * Protocol: cscart/docs ru/developer_guide/1c/catalog.rst and orders.rst; https://minicode.ru/интеграция-с-1с/;
 * sessid as newer Bitrix answers it: https://gist.github.com/nafilimonov/11c5f2ac16b3ae7d38e0692aee18be63.
 * Answers are plain-text lines: `success`, `progress` or `failure` first, then details.
 */

/** Where orders for `sale&mode=query` come from; the ordering module implements it. */
export interface CmlOrdersSource {
  /** Orders of the portal not yet exported to 1C (or changed since). */
  pendingOrders(portalId: number): Promise<CmlExportOrder[]>;
  /** Called on `sale&mode=success` with the ids (external ids) the last query handed out. */
  markExported(ids: string[], portalId: number): Promise<void>;
}

export interface CommerceMlFeedDeps {
  ctx: AppContext;
  /** Where sessions and uploaded files live; instances behind one load balancer must share it. */
  storageDir: string;
  /** The `file_limit` we tell 1C: it splits larger files into parts of this size (default 8 MiB). */
  fileLimitBytes?: number;
  credentials: (portalKey: string) => Promise<ExchangeCredentials | null>;
  ordersSource?: CmlOrdersSource;
  /** Answer `zip=yes` to init (default true). */
  zip?: boolean;
  /** How long one `mode=import` call works before answering `progress` (default 20 s; 1C waits for the answer). */
  importStepMs?: number;
  /** Items per delivered batch (default 1000). */
  batchSize?: number;
  /** Caps per session: total bytes (default 4 GiB) and file count (default 50 000). */
  maxSessionBytes?: number;
  maxSessionFiles?: number;
  /** Idle time after which a session and its files are removed (default 2 h). */
  sessionTtlMs?: number;
  /** CommerceML versions we accept in init's `version` (default 2.03 … 2.10 and 3.1). */
  versions?: string[];
}

export interface CommerceMlFeed extends ErpInboundFeed {
  /** A picture 1C sent with the catalog, by its `import_files/…` key (see exchange-pictures.ts). */
  productPicture(portalId: number, key: string, signal?: AbortSignal): Promise<ErpFile>;
  /** Waits for imports still running (graceful shutdown). */
  close(): Promise<void>;
  /** Removes idle sessions and their files. */
  sweep(): Promise<number>;
}

export const CML_COOKIE_NAME = 'DH_1C_EXCHANGE';
const DEFAULT_VERSIONS = ['2.03', '2.04', '2.05', '2.06', '2.07', '2.08', '2.09', '2.10', '3.1'];

type Handler<E extends InboundEvent> = (batch: InboundBatches[E], meta: { portalId: number; fullSnapshot: boolean }) => Promise<void>;

function cookieFrom(req: Request): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === CML_COOKIE_NAME) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Basic credentials; 1C sends UTF-8, older platforms windows-1251 for Cyrillic logins: both are tried. */
function basicAuth(req: Request): Array<{ login: string; password: string }> {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return [];
  const raw = Buffer.from(m[1] as string, 'base64');
  const decoded = [raw.toString('utf8')];
  const cp = iconv.decode(raw, 'windows-1251');
  if (cp !== decoded[0]) decoded.push(cp);
  return decoded
    .map((s) => {
      const i = s.indexOf(':');
      return i < 0 ? null : { login: s.slice(0, i), password: s.slice(i + 1) };
    })
    .filter((x): x is { login: string; password: string } => x !== null);
}

/** 1C shows the text after `failure` in its exchange log, so protocol failures are 200 answers, as Bitrix sends them. */
function answer(res: Response, lines: string[], status = 200): void {
  res.status(status).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(lines.join('\n'));
}

const fromStep = (res: Response, a: StepAnswer) => answer(res, [a.kind, a.text]);
const param = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

export function createCommerceMlFeed(deps: CommerceMlFeedDeps): CommerceMlFeed {
  const { ctx } = deps;
  const logger = ctx.logger.child({ erp: '1c-commerceml' });
  const fileLimit = Math.max(64 * 1024, deps.fileLimitBytes ?? 8 * 1024 * 1024);
  const maxSessionBytes = deps.maxSessionBytes ?? 4 * 1024 ** 3;
  const maxSessionFiles = deps.maxSessionFiles ?? 50_000;
  const versions = deps.versions ?? DEFAULT_VERSIONS;
  const stepMs = deps.importStepMs ?? 20_000;
  const store = createSessionStore({ storageDir: deps.storageDir, secretKey: ctx.config.app.secretKey, idleTtlMs: deps.sessionTtlMs ?? 2 * 3600_000 });
  const handlers = new Map<InboundEvent, Array<Handler<InboundEvent>>>();
  const deliver = async (portalId: number, event: InboundEvent, items: unknown[], fullSnapshot: boolean) => {
    for (const h of handlers.get(event) ?? []) await h(items as never, { portalId, fullSnapshot });
  };
  const pictures = createPictureStore({ storageDir: deps.storageDir, logger });
  const runner = createImportRunner({
    store,
    instanceId: randomUUID(),
    stepMs,
    batchSize: deps.batchSize ?? 1000,
    deliver,
    logger,
    zipLimits: { maxTotalBytes: maxSessionBytes, maxEntries: maxSessionFiles },
    pictures,
  });

  async function checkauth(req: Request, res: Response, portalKey: string): Promise<void> {
    const creds = await deps.credentials(portalKey);
    const portal = creds ? await ctx.portals.findByMemberId(portalKey) : null;
    let ok = false;
    for (const c of basicAuth(req)) {
      if (creds && portal && loginMatches(creds.login, c.login) && (await creds.passwordCheck(c.password))) ok = true;
    }
    if (!ok || !portal || portal.status !== 'installed') {
      logger.info({ portalKey }, '1C exchange: checkauth refused');
      return answer(res, ['failure', 'Неверный логин или пароль обмена']);
    }
    void store.sweep().catch(() => undefined);
    const { cookie } = await store.open(portalKey, portal.id);
    res.cookie(CML_COOKIE_NAME, cookie, { httpOnly: true, path: '/erp/1c-exchange', sameSite: 'strict' });
    answer(res, ['success', CML_COOKIE_NAME, cookie, `sessid=${store.sessidOf(cookie)}`, `timestamp=${Math.floor(Date.now() / 1000)}`]);
  }

  async function session(req: Request, portalKey: string): Promise<OpenedSession | null> {
    const cookie = cookieFrom(req);
    const s = await store.find(portalKey, cookie);
    if (!s || !cookie) return null;
    const sessid = param(req.query['sessid']);
    if (sessid !== undefined && sessid !== store.sessidOf(cookie)) return null;
    await store.update(s.id, (st) => {
      st.lastSeenAt = new Date().toISOString();
    });
    return s;
  }

  async function init(req: Request, res: Response, s: OpenedSession, type: ExchangeType): Promise<void> {
    // A new exchange of this type starts from a clean directory (1C re-sends everything after init).
    await rm(join(s.dir, type), { recursive: true, force: true });
    await mkdir(join(s.dir, type), { recursive: true });
    await store.update(s.id, (st) => {
      for (const k of Object.keys(st.imports)) if (k.startsWith(`${type}:`)) delete st.imports[k];
      for (const k of Object.keys(st.unzipped)) if (k.startsWith(`${type}/`)) delete st.unzipped[k];
    });
    runner.forget(s.id);
    const lines = [`zip=${deps.zip === false ? 'no' : 'yes'}`, `file_limit=${fileLimit}`, `sessid=${store.sessidOf(cookieFrom(req) ?? '')}`];
    const asked = param(req.query['version']);
    if (asked) lines.push(`version=${versions.includes(asked) ? asked : (versions[versions.length - 1] as string)}`);
    answer(res, lines);
  }

  async function file(req: Request, res: Response, s: OpenedSession, type: ExchangeType): Promise<void> {
    const name = param(req.query['filename']);
    if (!name) return answer(res, ['failure', 'Не указано имя файла (filename)']);
    if ((req as Request & { _body?: boolean })._body) {
      return answer(res, ['failure', 'Тело запроса уже разобрано как форма: передавайте файл как application/octet-stream']);
    }
    const target = resolveExchangeFile(join(s.dir, type), name);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > fileLimit + 1024) {
      res.set('Connection', 'close');
      return answer(res, ['failure', `Часть файла больше file_limit=${fileLimit} байт`], 413);
    }
    const state = (await store.read(s.id)) ?? s.state;
    if (state.bytes + Math.max(declared, 0) > maxSessionBytes || state.files >= maxSessionFiles) {
      res.set('Connection', 'close');
      return answer(res, ['failure', 'Превышен объём данных одного сеанса обмена'], 413);
    }
    let received: number;
    try {
      received = await receiveChunk(req, target.absolute, fileLimit + 1024);
    } catch (err) {
      if (req.destroyed || res.destroyed) return; // 1C dropped the connection: nothing to answer, nothing kept.
      if (err instanceof UploadError) {
        res.set('Connection', 'close');
        return answer(res, ['failure', err.message], err.tooLarge ? 413 : 200);
      }
      throw err;
    }
    await store.update(s.id, (st) => {
      st.bytes += received;
      st.files += 1;
    });
    if (type === 'sale') return fromStep(res, await runner.applySaleFile(s, target.relative));
    answer(res, ['success']);
  }

  async function query(res: Response, s: OpenedSession): Promise<void> {
    const orders = deps.ordersSource ? await deps.ordersSource.pendingOrders(s.state.portalId) : [];
    const body = renderOrdersXml(orders, { encoding: 'windows-1251' });
    await store.update(s.id, (st) => {
      st.saleExported = orders.map((o) => o.externalId);
    });
    res.status(200).type('application/xml; charset=windows-1251').set('Cache-Control', 'no-store').send(body);
  }

  async function saleSuccess(res: Response, s: OpenedSession): Promise<void> {
    const state = await store.read(s.id);
    const ids = state?.saleExported ?? [];
    if (ids.length && deps.ordersSource) await deps.ordersSource.markExported(ids, s.state.portalId);
    await store.update(s.id, (st) => {
      st.saleExported = [];
    });
    answer(res, ['success']);
  }

  async function handle(req: Request, res: Response): Promise<void> {
    const portalKey = String(req.params['portalKey'] ?? '');
    const type = param(req.query['type']);
    const mode = param(req.query['mode']);
    if (type !== 'catalog' && type !== 'sale') return answer(res, ['failure', `Неизвестный тип обмена: ${type ?? '(не указан)'}`]);
    if (mode === 'checkauth') return checkauth(req, res, portalKey);
    const s = await session(req, portalKey);
    if (!s) return answer(res, ['failure', 'Сеанс обмена не найден или истёк: выполните авторизацию (mode=checkauth)']);
    switch (mode) {
      case 'init':
        return init(req, res, s, type);
      case 'file':
        return file(req, res, s, type);
      case 'import': {
        if (type !== 'catalog') break;
        const name = param(req.query['filename']);
        if (!name) return answer(res, ['failure', 'Не указано имя файла (filename)']);
        return fromStep(res, await runner.step(s, name));
      }
      case 'query':
        if (type === 'sale') return query(res, s);
        break;
      case 'success':
        if (type === 'sale') return saleSuccess(res, s);
        return answer(res, ['success']);
      case 'deactivate':
      case 'complete':
        // Pictures sent after the last import would otherwise stay in the session until the sweep removes them.
        if (type === 'catalog') await pictures.collect(s.state.portalId, join(s.dir, 'catalog'), Date.now() + stepMs);
        return answer(res, ['success']);
      default:
        break;
    }
    answer(res, ['failure', `Режим ${mode ?? '(не указан)'} не поддерживается для type=${type}`]);
  }

  return {
    kind: '1c-commerceml',
    router() {
      const router = Router();
      router.all('/erp/1c-exchange/:portalKey', async (req, res) => {
        try {
          await handle(req, res);
        } catch (err) {
          if (err instanceof ExchangeFileNameError) return answer(res, ['failure', `Недопустимое имя файла: ${err.message}`]);
          logger.error({ err, url: req.path }, '1C exchange call failed');
          if (!res.headersSent) answer(res, ['failure', 'Внутренняя ошибка обмена; подробности в журнале сервера'], 500);
        }
      });
      return router;
    },
    on(event, handler) {
      const list = handlers.get(event) ?? [];
      list.push(handler as unknown as Handler<InboundEvent>);
      handlers.set(event, list);
    },
    productPicture: (portalId, key, signal) => pictures.read(portalId, key, signal),
    close: () => runner.idle(),
    sweep: () => store.sweep(),
  };
}
