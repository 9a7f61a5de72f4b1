import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { EMPTY_GUID, TRANSPORT_FAULTS, type ErpFaults, type FaultRule } from '../catalog/index.js';
import { filterMembers, FilterSyntaxError, parseFilter } from './odata-filter.js';
import { dimFields, renderMetadata, serviceDocumentNames } from './onec-metadata.js';
import type { EntitySetDef, OnecSources, RegisterDef } from './onec-sources.js';
import { ONEC_ORDER_STATUSES, type EmOrder, type EmOrderLine, type OnecOrderStatus, type OnecState } from './onec-state.js';
import { arraySource, QueryError, type QueryEngine, type Row, type RowSource } from './query-engine.js';

/**
 * The HTTP face of the emulated 1C:Enterprise standard OData interface (`/<base>/odata/standard.odata/`), following
 * what 1C publishes (https://its.1c.ru/db/v8327doc#bookmark:dev:TI000001358 «Стандартный интерфейс OData») and the
 * behaviour in ../shared/reference/erp-integration.md §1: Basic auth, `$format=json` answers with "odata.metadata" and
 * "value", `Set(guid'…')` addressing, register virtual tables, POST/PATCH of Document_ЗаказКлиента with inline Товары,
 * `/Post` running posting checks (business failures are HTTP 500 odata.error), error 13 for tabular rows posted
 * directly, and fault injection in front of it all.
 */

export interface OnecRouterDeps {
  state: OnecState;
  sources: OnecSources;
  engine: QueryEngine;
  faults: ErpFaults;
  users: Array<{ user: string; password: string }>;
}

const ACCOUNTING_FIELDS = ['Account_Key', 'ExtDimension1', 'ExtDimension1_Type', 'ExtDimension2', 'ExtDimension2_Type', 'ExtDimension3', 'ExtDimension3_Type', 'Организация_Key', 'Валюта_Key'];

class ODataFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string): never => {
  throw new ODataFailure(status, code, message);
};

function sendError(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ 'odata.error': { code, message: { lang: 'ru', value: message } } });
}

interface Segment {
  name: string;
  args: string | null;
}

/** Splits `Set(args)/Fn(args)` respecting quotes (Condition='… ( … ) …'). */
export function parseResourcePath(path: string): Segment[] {
  const segs: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    let name = '';
    while (i < path.length && path[i] !== '(' && path[i] !== '/') name += path[i++];
    let args: string | null = null;
    if (path[i] === '(') {
      let depth = 0;
      let inQuote = false;
      const start = i + 1;
      for (; i < path.length; i++) {
        const ch = path[i];
        if (ch === "'") inQuote = !inQuote;
        else if (!inQuote && ch === '(') depth++;
        else if (!inQuote && ch === ')' && --depth === 0) break;
      }
      if (i >= path.length) fail(400, '-1', `Незакрытая скобка в пути запроса: ${path}`);
      args = path.slice(start, i);
      i++;
    }
    segs.push({ name, args });
    if (path[i] === '/') i++;
  }
  return segs;
}

/** `Dimensions='Номенклатура,Склад', Condition='Склад_Key eq guid''…'''` → {Dimensions: …, Condition: …}. */
export function parseFunctionArgs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const skipWs = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  while (i < text.length) {
    skipWs();
    let name = '';
    while (i < text.length && text[i] !== '=') name += text[i++];
    i++;
    skipWs();
    let prefix = '';
    while (i < text.length && /[A-Za-z]/.test(text[i] ?? '')) prefix += text[i++];
    let value = prefix;
    if (text[i] === "'") {
      value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail(400, '-1', `Незакрытая строка в параметрах: ${text}`);
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
    }
    out[name.trim()] = value;
    skipWs();
    if (text[i] === ',') i++;
  }
  return out;
}

const GUID_KEY = /^guid'([0-9a-fA-F-]{36})'$/;

function keyOf(args: string | null): string {
  const m = GUID_KEY.exec((args ?? '').trim());
  if (!m) return fail(400, '-1', `Неверный ключ объекта: (${args ?? ''})`);
  return (m[1] as string).toLowerCase();
}

const int = (v: string | null, name: string) => {
  if (v === null) return null;
  if (!/^\d+$/.test(v)) fail(400, '-1', `Неверное значение параметра ${name}: ${v}`);
  return Number(v);
};

export function createOnecOdataRouter(deps: OnecRouterDeps): Router {
  const { state, sources, engine, faults } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '20mb', type: ['application/json', 'application/*+json', 'text/plain'] }));

  const metadataXml = (() => {
    let cached: string | null = null;
    return () => (cached ??= renderMetadata(sources));
  })();

  const baseUrl = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;

  const authorized = (req: Request) => {
    const header = req.get('authorization') ?? '';
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return deps.users.some((u) => u.user === user && u.password === password);
  };

  const renderFault = (req: Request, res: Response, rule: FaultRule): void => {
    switch (rule.kind) {
      case 'down':
        if (rule.how === '503') {
          res.status(503).type('text/html').send('<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>');
        } else {
          req.socket.destroy();
        }
        return;
      case 'auth':
        res.status(401).set('WWW-Authenticate', 'Basic realm="1C:Enterprise"').type('text/plain').send('Unauthorized');
        return;
      case 'rate-limit':
        res.status(429).set('Retry-After', String(rule.retryAfterSeconds ?? 1)).type('text/plain').send('Too Many Requests');
        return;
      default:
        sendError(res, 500, '-1', rule.message ?? 'Внутренняя ошибка сервера 1С:Предприятия');
    }
  };

  const checkMembers = (filter: string | null, known: Set<string>, what: string) => {
    if (!filter) return;
    let members: Set<string>;
    try {
      members = filterMembers(parseFilter(filter));
    } catch (err) {
      return fail(400, '-1', `Ошибка разбора $filter: ${(err as FilterSyntaxError).message}`);
    }
    for (const m of members) if (!known.has(m)) fail(400, '-1', `Поле "${m}" не найдено в "${what}"`);
  };

  const setFields = (set: EntitySetDef) => new Set([...set.props.map(([n]) => n), ...Object.keys(set.tables ?? {})]);

  const sendCollection = (req: Request, res: Response, source: RowSource, context: string, known: Set<string>, extraFilter?: string, strip: string[] = []) => {
    const q = new URL(req.originalUrl, 'http://x').searchParams;
    const userFilter = q.get('$filter');
    checkMembers(userFilter, known, context);
    const filter = [extraFilter, userFilter].filter((f): f is string => !!f && f.trim() !== '').map((f) => `(${f})`).join(' and ') || null;
    const result = engine.run(source, {
      filter,
      orderby: q.get('$orderby'),
      top: int(q.get('$top'), '$top'),
      skip: int(q.get('$skip'), '$skip'),
      select: q.get('$select'),
    });
    const select = q.get('$select');
    const body: Record<string, unknown> = { 'odata.metadata': `${baseUrl(req)}/$metadata#${context}${select ? `&$select=${select}` : ''}` };
    if (q.get('$inlinecount') === 'allpages') body['odata.count'] = String(result.total);
    body.value = strip.length ? result.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !strip.includes(k)))) : result.rows;
    res.json(body);
  };

  const balanceCache = new Map<string, RowSource>();

  /** Balance rows with the requested dimensions (summing resources over the others), after Condition. */
  const balanceSource = (reg: RegisterDef, args: Record<string, string>): RowSource => {
    const all = reg.dims.map((d) => d.name);
    const wanted = args.Dimensions ? args.Dimensions.split(',').map((d) => d.trim()).filter(Boolean) : all;
    for (const d of wanted) if (!all.includes(d)) fail(400, '-1', `Измерение "${d}" не найдено в регистре ${reg.name}`);
    const dims = reg.dims.filter((d) => wanted.includes(d.name));
    const outDims = dimFields(dims).map(([n]) => n);
    const rename = (row: Row): Row => {
      const out: Row = {};
      for (const f of outDims) out[f] = row[f];
      for (const r of reg.resources) out[`${r}Balance`] = row[r];
      return out;
    };
    // Rows are already unique per the requested dimensions when only always-empty ones are left out: no grouping needed.
    if (!args.Condition && reg.dims.every((d) => wanted.includes(d.name) || reg.emptyDims?.includes(d.name))) {
      return { ...reg.rows, name: `${reg.name}/Balance(${wanted.join(',')})`, row: (i) => rename(reg.rows.row(i)), light: undefined, lightFields: undefined };
    }
    if (args.Condition) checkMembers(args.Condition, new Set([...dimFields(reg.dims).map(([n]) => n), ...reg.resources]), reg.name);
    // Paging through an aggregated balance asks the same question page after page: keep the grouped rows.
    const cacheKey = `${reg.name}\u0001${wanted.join(',')}\u0001${args.Condition ?? ''}\u0001${reg.rows.version()}\u0001${state.version()}`;
    const cached = balanceCache.get(cacheKey);
    if (cached) return cached;
    const base = engine.run(reg.rows, { filter: args.Condition || null }).rows;
    const groups = new Map<string, Row>();
    for (const row of base) {
      const key = outDims.map((f) => String(row[f])).join('|');
      const acc = groups.get(key) ?? Object.fromEntries([...outDims.map((f) => [f, row[f]]), ...reg.resources.map((r) => [`${r}Balance`, 0])]);
      for (const r of reg.resources) acc[`${r}Balance`] = (acc[`${r}Balance`] as number) + (Number(row[r]) || 0);
      groups.set(key, acc);
    }
    const rows = [...groups.values()].filter((r) => reg.resources.some((x) => Math.abs(r[`${x}Balance`] as number) > 1e-9));
    const source = arraySource(`${reg.name}/Balance(${JSON.stringify(args)})`, () => rows, () => state.version(), outDims.filter((f) => f.endsWith('_Key')));
    balanceCache.set(cacheKey, source);
    if (balanceCache.size > 8) balanceCache.delete(balanceCache.keys().next().value as string);
    return source;
  };

  const recordTypeSource = (reg: RegisterDef): RowSource => ({
    ...reg.rows,
    name: `${reg.name}_RecordType`,
    row: (i) => ({ Recorder: EMPTY_GUID, Recorder_Type: 'StandardODATA.Document_ВводОстатков', Period: '2024-01-01T00:00:00', LineNumber: String(i + 1), Active: true, RecordType: 'Receipt', ...reg.rows.row(i) }),
    light: undefined,
    lightFields: undefined,
  });

  const registerFields = (reg: RegisterDef, suffix: '' | 'Balance') => new Set([
    ...dimFields(reg.dims).map(([n]) => n), ...reg.resources.map((r) => `${r}${suffix}`), ...(reg.attrs ?? []).map(([n]) => n),
    ...(suffix === '' ? ['Period', 'Recorder', 'Recorder_Type', 'LineNumber', 'Active', 'RecordType'] : []),
  ]);

  const element = (req: Request, set: string, row: Row) => ({ 'odata.metadata': `${baseUrl(req)}/$metadata#${set}/@Element`, ...row });

  const ordersSet = sources.ordersSet;
  const findOrder = (ref: string): EmOrder => state.orderByRef(ref) ?? fail(404, '9', `Объект не найден: ${ordersSet}(guid'${ref}')`);

  const readLines = (rows: unknown, header: Record<string, unknown>): EmOrderLine[] => {
    if (!Array.isArray(rows)) return fail(400, '-1', 'Табличная часть "Товары" должна быть массивом');
    return rows.map((raw, k) => {
      const r = (raw ?? {}) as Record<string, unknown>;
      if (r.LineNumber === undefined || r.LineNumber === null || r.LineNumber === '') {
        fail(400, '-1', `Не заполнено поле "LineNumber" в строке ${k + 1} табличной части "Товары"`);
      }
      const qty = Number(r.Количество ?? 0);
      const price = Number(r.Цена ?? 0);
      const amount = r.Сумма === undefined ? Math.round(qty * price * 100) / 100 : Number(r.Сумма);
      const { LineNumber, Ref_Key: _ignored, ...rest } = r;
      return {
        ...rest,
        LineNumber: Number(LineNumber),
        Номенклатура_Key: String(r.Номенклатура_Key ?? EMPTY_GUID).toLowerCase(),
        Количество: qty,
        Цена: price,
        Сумма: amount,
        СуммаНДС: r.СуммаНДС === undefined ? Math.round(((amount * 20) / 120) * 100) / 100 : Number(r.СуммаНДС),
        ВидЦены_Key: String(r.ВидЦены_Key ?? EMPTY_GUID),
        Склад_Key: String(r.Склад_Key ?? header.Склад_Key ?? EMPTY_GUID),
        Отменено: r.Отменено === true,
      };
    });
  };

  const HEADER_SKIP = new Set(['Ref_Key', 'Number', 'Date', 'Posted', 'Статус', 'Согласован', 'Товары', 'DeletionMark', 'DataVersion', 'СуммаДокумента']);
  const headerOf = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([k]) => !HEADER_SKIP.has(k) && !k.includes('@')));

  const statusOf = (v: unknown, fallback: OnecOrderStatus): OnecOrderStatus => {
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !ONEC_ORDER_STATUSES.includes(v as OnecOrderStatus)) return fail(400, '-1', `Неверное значение перечисления СтатусыЗаказовКлиентов: ${String(v)}`);
    return v as OnecOrderStatus;
  };

  /** Posting: the configuration's checks. Failures are business errors: HTTP 500 with odata.error. */
  const postOrder = (o: EmOrder) => {
    const title = `${sources.orderTitle} ${o.number} от ${o.date.replace('T', ' ')}`;
    const injected = faults.take(`${ordersSet}/Post`, ['validation']);
    if (injected) fail(500, '-1', `Не удалось провести "${title}"!\n${injected.message ?? 'Проведение отменено обработчиком ОбработкаПроверкиЗаполнения'}`);
    if (o.lines.length === 0) fail(500, '-1', `Не удалось провести "${title}"!\nНе заполнена табличная часть "Товары"`);
    for (const l of o.lines) {
      const p = state.cat.productIndexOf(l.Номенклатура_Key);
      if (p === undefined) fail(500, '-1', `Не удалось провести "${title}"!\nВ строке ${l.LineNumber} не заполнена колонка "Номенклатура"`);
      if (state.cat.productBrief(p as number).deleted || state.productPatches.get(p as number)?.deleted) {
        fail(500, '-1', `Не удалось провести "${title}"!\nВ строке ${l.LineNumber} номенклатура помечена на удаление`);
      }
      if (!(l.Количество > 0)) fail(500, '-1', `Не удалось провести "${title}"!\nВ строке ${l.LineNumber} не заполнено количество`);
    }
    if (!state.orders.includes(o)) fail(404, '9', 'Объект не найден');
    o.posted = true;
    o.versionNo += 1;
    state.bump();
  };

  router.use(async (req, res) => {
    try {
      const slow = faults.take(`${req.method} ${decodeURIComponent(req.path)}`, ['slow']);
      if (slow) await new Promise((r) => setTimeout(r, slow.delayMs ?? 1000));
      const fault = faults.take(`${req.method} ${decodeURIComponent(req.path)}`, TRANSPORT_FAULTS);
      if (fault) return renderFault(req, res, fault);
      if (!authorized(req)) {
        res.status(401).set('WWW-Authenticate', 'Basic realm="1C:Enterprise"').type('text/plain').send('Unauthorized');
        return;
      }
      const path = decodeURIComponent(req.path).replace(/^\/+/, '');
      const q = new URL(req.originalUrl, 'http://x').searchParams;

      if (path === '$metadata') {
        res.type('application/xml').send(metadataXml());
        return;
      }
      const wantsJson = (q.get('$format') ?? '').startsWith('json') || (q.get('$format') ?? '').startsWith('application/json') || (req.get('accept') ?? '').includes('json');
      if (!wantsJson && req.method === 'GET') return fail(406, '-1', 'Эмулятор отдаёт только JSON: добавьте $format=json');
      if (path === '') {
        res.json({ 'odata.metadata': baseUrl(req), value: serviceDocumentNames(sources).map((name) => ({ name, url: name })) });
        return;
      }

      const segs = parseResourcePath(path);
      const [head, next, third] = segs;
      if (!head || third) return fail(404, '-1', `Ресурс не найден: ${path}`);

      // Registers and their virtual tables.
      const regName = head.name.replace(/_RecordType$/, '');
      const reg = sources.register(regName);
      if (reg && !sources.set(head.name)) {
        if (req.method !== 'GET') return fail(405, '-1', 'Запись в регистры через эмулятор не поддерживается');
        if (head.args !== null && !next) {
          // One record by its key: Register(Dim='…', Dim_Type='StandardODATA.…').
          if (!reg.record) return fail(400, '-1', `Обращение к записи ${reg.name} по ключу не поддерживается`);
          const row = reg.record(parseFunctionArgs(head.args)) ?? fail(404, '9', `Запись не найдена: ${reg.name}(${head.args})`);
          const select = (q.get('$select') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
          res.json(element(req, reg.name, select.length ? Object.fromEntries(select.map((f) => [f, row[f]])) : row));
          return;
        }
        if (!next) {
          if (reg.kind !== 'information' && !head.name.endsWith('_RecordType')) return fail(501, '-1', `Наборы записей ${reg.name} эмулятор не отдаёт; используйте ${reg.name}_RecordType или Balance`);
          const src = reg.kind !== 'information' ? recordTypeSource(reg) : reg.rows;
          return sendCollection(req, res, src, head.name, registerFields(reg, ''));
        }
        const args = next.args ? parseFunctionArgs(next.args) : {};
        if (next.name === 'Balance' && reg.kind === 'accounting') {
          // Turnover-free balance of the accounting register: Сумма/Количество → …Balance, Dr and Cr splits; the nested
          // Account object only serves AccountCondition='Account/Code eq ''41.01''' and is not sent.
          const fields = new Set([...ACCOUNTING_FIELDS, ...reg.resources.flatMap((r) => [`${r}Balance`, `${r}BalanceDr`, `${r}BalanceCr`]), 'Account/Code']);
          for (const c of [args.AccountCondition, args.Condition]) if (c) checkMembers(c, fields, reg.name);
          const src: RowSource = {
            ...reg.rows,
            name: `${reg.name}/Balance`,
            row: (i) => {
              const r = reg.rows.row(i);
              const out: Row = {};
              for (const [k, v] of Object.entries(r)) if (!reg.resources.includes(k)) out[k] = v;
              for (const res of reg.resources) {
                const v = Number(r[res] ?? 0);
                Object.assign(out, { [`${res}Balance`]: v, [`${res}BalanceDr`]: v > 0 ? v : 0, [`${res}BalanceCr`]: v < 0 ? -v : 0 });
              }
              return out;
            },
          };
          const extra = [args.AccountCondition, args.Condition].filter(Boolean).join(' and ');
          return sendCollection(req, res, src, `${reg.name}_Balance`, fields, extra || undefined, ['Account']);
        }
        if (next.name === 'Balance' && reg.kind === 'accumulation') {
          return sendCollection(req, res, balanceSource(reg, args), `${reg.name}_Balance`, registerFields(reg, 'Balance'));
        }
        if ((next.name === 'SliceLast' || next.name === 'SliceFirst') && reg.kind === 'information') {
          const conditions = [args.Condition, args.Period ? `Period le datetime'${args.Period}'` : undefined].filter(Boolean).join(' and ');
          if (args.Condition) checkMembers(args.Condition, registerFields(reg, ''), reg.name);
          return sendCollection(req, res, reg.rows, `${reg.name}_${next.name}`, registerFields(reg, ''), conditions || undefined);
        }
        return fail(400, '-1', `Виртуальная таблица ${next.name} не поддерживается для ${reg.name}`);
      }

      const set = sources.set(head.name) ?? fail(404, '-1', `Не найден сегмент URL: ${head.name}`);

      if (req.method === 'GET') {
        if (head.args === null && !next) return sendCollection(req, res, set.source, set.name, setFields(set));
        if (head.args === null && next?.name === '$count') {
          const result = engine.run(set.source, { filter: q.get('$filter') });
          res.type('text/plain').send(String(result.total));
          return;
        }
        if (!set.keyed || next) return fail(400, '-1', `Неподдерживаемый запрос к ${set.name}`);
        const ref = keyOf(head.args);
        const found = engine.run(set.source, { filter: `Ref_Key eq guid'${ref}'`, select: q.get('$select') });
        const row = found.rows[0] ?? fail(404, '9', `Объект не найден: ${set.name}(guid'${ref}')`);
        res.json(element(req, set.name, row));
        return;
      }

      if (set.name === `${ordersSet}_Товары` && req.method === 'POST') {
        return fail(400, '13', 'Создание строк табличной части напрямую не поддерживается');
      }
      if (set.name !== ordersSet) return fail(405, '-1', `Изменение ${set.name} через эмулятор не поддерживается`);

      if (req.method === 'POST' && head.args === null && !next) {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || Array.isArray(body)) return fail(400, '-1', 'Тело запроса должно быть объектом JSON');
        const header = headerOf(body);
        const ref = typeof body.Ref_Key === 'string' && GUID_KEY.test(`guid'${body.Ref_Key}'`) ? body.Ref_Key.toLowerCase() : randomUUID();
        if (state.orderByRef(ref)) return fail(409, '-1', `Объект с ключом ${ref} уже существует`);
        const order: EmOrder = {
          ref,
          number: typeof body.Number === 'string' && body.Number.trim() ? body.Number : state.nextNumber('ЗК'),
          date: typeof body.Date === 'string' && body.Date > '0001-01-01T00:00:00' ? body.Date.slice(0, 19) : state.now(),
          posted: false,
          deletionMark: false,
          versionNo: 1,
          status: statusOf(body.Статус, 'НеСогласован'),
          agreed: body.Согласован === true,
          header: { Комментарий: '', ...header },
          lines: readLines(body.Товары ?? [], header),
        };
        state.addOrder(order);
        res.status(201).set('Location', encodeURI(`${baseUrl(req)}/${ordersSet}(guid'${ref}')`)).json(element(req, set.name, sources.orderRow(order)));
        return;
      }

      if (head.args !== null) {
        const order = findOrder(keyOf(head.args));
        if ((req.method === 'PATCH' || req.method === 'MERGE') && !next) {
          const body = (req.body ?? {}) as Record<string, unknown>;
          Object.assign(order.header, headerOf(body));
          if (body.Товары !== undefined) order.lines = readLines(body.Товары, order.header);
          if (body.Статус !== undefined) order.status = statusOf(body.Статус, order.status);
          if (typeof body.Согласован === 'boolean') order.agreed = body.Согласован;
          if (typeof body.DeletionMark === 'boolean') order.deletionMark = body.DeletionMark;
          if (typeof body.Number === 'string') order.number = body.Number;
          if (typeof body.Date === 'string') order.date = body.Date.slice(0, 19);
          order.versionNo += 1;
          state.bump();
          res.json(element(req, set.name, sources.orderRow(order)));
          return;
        }
        if (req.method === 'POST' && next?.name === 'Post') {
          postOrder(order);
          res.json(element(req, set.name, sources.orderRow(order)));
          return;
        }
        if (req.method === 'POST' && next?.name === 'Unpost') {
          order.posted = false;
          order.versionNo += 1;
          state.bump();
          res.json(element(req, set.name, sources.orderRow(order)));
          return;
        }
      }
      return fail(405, '-1', `Метод ${req.method} не поддерживается для ${path}`);
    } catch (err) {
      if (err instanceof ODataFailure) return sendError(res, err.status, err.code, err.message);
      if (err instanceof QueryError || err instanceof FilterSyntaxError) return sendError(res, 400, '-1', err.message);
      sendError(res, 500, '-1', `Внутренняя ошибка эмулятора: ${(err as Error).message}`);
    }
  });
  // Malformed JSON bodies (express.json) end here rather than in the app's error handler.
  router.use((err: Error, _req: Request, res: Response, _next: express.NextFunction) => {
    sendError(res, 400, '-1', `Ошибка разбора JSON: ${err.message}`);
  });
  return router;
}

