import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { renderProductPicture, type GeneratedCatalog } from '../catalog/index.js';
import { request, type HttpAnswer } from './exchange-http.js';
import { renderCommerceMl, renderedPictures, type CmlEncoding, type CmlVersion, type RenderCmlOptions, type RenderedFile } from './render-commerceml.js';
import { tag } from './xml-file-writer.js';
import { writeZip, type ZipSource } from './zip-writer.js';

/**
 * The 1C side of «обмен с сайтом», as a client: it renders the catalog into CommerceML files and drives the site's
 * exchange endpoint the way 1C does (checkauth → init → file parts of file_limit → import until success → sale query →
 * sale success → sale file with order statuses), including faults 1C meets in the field.
 */

/**
 * Catalogs up to this size send their pictures unless told otherwise. A picture is a PNG drawn on demand
 * (milliseconds each, 1–4 per product), so a 100k-product bench would spend most of its time drawing; there it is off.
 */
export const PICTURES_BY_DEFAULT_UP_TO = 5_000;

export type CmlExchangeFault = 'drop-mid-file' | 'bad-credentials' | 'broken-xml';

export interface RunCommerceMlExchangeOptions {
  /** The exchange URL of one portal, e.g. http://127.0.0.1:3000/erp/1c-exchange/<member_id>. */
  baseUrl: string;
  login: string;
  password: string;
  catalog: GeneratedCatalog;
  version: CmlVersion;
  encoding: CmlEncoding;
  zip: boolean;
  delta?: boolean;
  fault?: CmlExchangeFault;
  /**
   * Send the product pictures import.xml names (`import_files/<name>`, real PNG bytes) as 1C does: inside the
   * archive, or as separate files right after import.xml. Default: on for catalogs up to PICTURES_BY_DEFAULT_UP_TO.
   */
  pictures?: boolean;
  /** Skip the sale part (orders query and statuses back). */
  catalogOnly?: boolean;
  /** Status id 1C reports back per received order (default «W», in work) and its text. */
  statusFor?(order: ReceivedOrder): { id: string; name: string; posted?: boolean; cancelled?: boolean };
  /** Working directory for the rendered files (default: a temp dir, removed afterwards). */
  workDir?: string;
  /** Maximum import calls per file before giving up (default 10 000). */
  maxImportCalls?: number;
}

export interface ReceivedOrder {
  id: string;
  number: string;
  total: string;
  customerId: string;
  lines: Array<{ id: string; qty: string; price: string }>;
}

export interface CmlExchangeReport {
  ok: boolean;
  /** Where it stopped when not ok. */
  stage?: 'checkauth' | 'init' | 'file' | 'import' | 'sale-query' | 'sale-success' | 'sale-file';
  message?: string;
  version?: string;
  fileLimit: number;
  zip: boolean;
  /** The exchange files sent (XML, the archive, documents.xml); pictures are counted in `pictures`. */
  files: Array<{ name: string; bytes: number; parts: number }>;
  /** Picture files sent (inside the archive or one by one). */
  pictures: { files: number; bytes: number };
  importCalls: number;
  progressAnswers: number;
  importAnswers: string[];
  orders: ReceivedOrder[];
  /** Raw sale query answer: content type and its first bytes decoded. */
  saleContentType?: string;
  statusesSent: number;
}

const lines = (a: HttpAnswer, charset = 'utf-8') => iconv.decode(a.body, charset).replace(/^\uFEFF/, '').split(/\r?\n/);

class Stop extends Error {
  constructor(readonly stage: NonNullable<CmlExchangeReport['stage']>, message: string) {
    super(message);
  }
}

export async function runCommerceMlExchange(o: RunCommerceMlExchangeOptions): Promise<CmlExchangeReport> {
  const report: CmlExchangeReport = { ok: false, fileLimit: 0, zip: o.zip, files: [], pictures: { files: 0, bytes: 0 }, importCalls: 0, progressAnswers: 0, importAnswers: [], orders: [], statusesSent: 0 };
  const work = o.workDir ?? (await mkdtemp(join(tmpdir(), 'onec-cml-')));
  try {
    await exchangeCatalog(o, work, report);
    if (!o.catalogOnly) await exchangeSale(o, report);
    report.ok = true;
  } catch (err) {
    if (err instanceof Stop) {
      report.stage = err.stage;
      report.message = err.message;
    } else {
      report.stage ??= 'file';
      report.message = (err as Error).message;
    }
  } finally {
    if (!o.workDir) await rm(work, { recursive: true, force: true });
  }
  return report;
}

interface Session {
  cookie: string;
  sessid?: string;
}

function url(o: RunCommerceMlExchangeOptions, params: Record<string, string>, s?: Session): URL {
  const u = new URL(o.baseUrl);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  if (s?.sessid) u.searchParams.set('sessid', s.sessid);
  return u;
}

async function checkauth(o: RunCommerceMlExchangeOptions, type: 'catalog' | 'sale'): Promise<Session> {
  const password = o.fault === 'bad-credentials' ? `${o.password}-wrong` : o.password;
  const a = await request(url(o, { type, mode: 'checkauth' }), {
    method: 'GET',
    headers: { Authorization: `Basic ${Buffer.from(`${o.login}:${password}`, 'utf8').toString('base64')}` },
  });
  const l = lines(a);
  if (l[0] !== 'success') throw new Stop('checkauth', l.slice(1).join(' ') || `HTTP ${a.status}`);
  const sessid = l.find((x) => x.startsWith('sessid='))?.slice(7);
  return { cookie: `${l[1]}=${l[2]}`, ...(sessid ? { sessid } : {}) };
}

async function init(o: RunCommerceMlExchangeOptions, type: 'catalog' | 'sale', s: Session): Promise<{ zip: boolean; fileLimit: number; version?: string }> {
  const a = await request(url(o, { type, mode: 'init', version: o.version }, s), { method: 'GET', headers: { Cookie: s.cookie } });
  const l = lines(a);
  const value = (k: string) => l.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
  const fileLimit = Number(value('file_limit'));
  if (!Number.isFinite(fileLimit) || fileLimit <= 0) throw new Stop('init', l.join(' '));
  const version = value('version');
  return { zip: value('zip') === 'yes', fileLimit, ...(version ? { version } : {}) };
}

/** Sends one file in parts of file_limit; returns the number of parts. */
async function sendFile(o: RunCommerceMlExchangeOptions, type: 'catalog' | 'sale', s: Session, name: string, bytes: Buffer, fileLimit: number, drop = false): Promise<number> {
  let parts = 0;
  for (let offset = 0; offset < bytes.length || (offset === 0 && bytes.length === 0); offset += fileLimit) {
    const part = bytes.subarray(offset, offset + fileLimit);
    parts += 1;
    let a: HttpAnswer;
    try {
      a = await request(url(o, { type, mode: 'file', filename: name }, s), {
        method: 'POST',
        headers: { Cookie: s.cookie },
        body: part,
        ...(drop ? { dropAfterBytes: Math.floor(part.length / 2) } : {}),
      });
    } catch (err) {
      throw new Stop(type === 'sale' ? 'sale-file' : 'file', `${name}: ${(err as Error).message}`);
    }
    const l = lines(a);
    if (l[0] !== 'success') throw new Stop(type === 'sale' ? 'sale-file' : 'file', `${name}: ${l.slice(1).join(' ') || `HTTP ${a.status}`}`);
    if (bytes.length === 0) break;
  }
  return parts;
}

async function sendExchangeFile(o: RunCommerceMlExchangeOptions, type: 'catalog' | 'sale', s: Session, name: string, bytes: Buffer, fileLimit: number, report: CmlExchangeReport, drop = false): Promise<void> {
  report.files.push({ name, bytes: bytes.length, parts: await sendFile(o, type, s, name, bytes, fileLimit, drop) });
}

function breakXml(bytes: Buffer): Buffer {
  // A broken file as a failed 1C export leaves it: a tag cut in the middle, some lines into the file.
  const at = bytes.toString('latin1').indexOf('</', Math.floor(bytes.length / 3));
  return Buffer.concat([bytes.subarray(0, at), Buffer.from('<Товар <<', 'utf8'), bytes.subarray(at)]);
}

async function exchangeCatalog(o: RunCommerceMlExchangeOptions, work: string, report: CmlExchangeReport): Promise<void> {
  const s = await checkauth(o, 'catalog');
  const setup = await init(o, 'catalog', s);
  report.fileLimit = setup.fileLimit;
  if (setup.version) report.version = setup.version;
  const renderOptions: RenderCmlOptions = { version: o.version, encoding: o.encoding, delta: o.delta ?? false };
  const rendered: RenderedFile[] = await renderCommerceMl(o.catalog, join(work, 'out'), renderOptions);
  const pictures = (o.pictures ?? o.catalog.productCount <= PICTURES_BY_DEFAULT_UP_TO) ? renderedPictures(o.catalog, renderOptions) : [];
  const useZip = o.zip && setup.zip;
  report.zip = useZip;
  const contents = new Map<string, Buffer>();
  for (const f of rendered) {
    let bytes: Buffer = await readFile(f.path);
    if (o.fault === 'broken-xml' && f === rendered[0]) bytes = breakXml(bytes);
    contents.set(f.name, bytes);
  }
  const countPicture = (bytes: Buffer) => {
    report.pictures.files += 1;
    report.pictures.bytes += bytes.length;
  };
  if (useZip) {
    const sources: ZipSource[] = rendered.map((f) => ({ name: f.name, data: contents.get(f.name) as Buffer }));
    // Pictures go through files, so a big catalog's archive is written without holding every picture in memory.
    for (const pic of pictures) {
      const bytes = renderProductPicture(pic.sku, pic.kind, pic.index);
      const path = join(work, 'pictures', ...pic.name.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
      sources.push({ name: pic.name, path });
      countPicture(bytes);
    }
    const zipPath = join(work, 'exchange.zip');
    await writeZip(zipPath, sources);
    await sendExchangeFile(o, 'catalog', s, 'exchange.zip', await readFile(zipPath), setup.fileLimit, report, o.fault === 'drop-mid-file');
  } else {
    let first = true;
    for (const f of rendered) {
      await sendExchangeFile(o, 'catalog', s, f.name, contents.get(f.name) as Buffer, setup.fileLimit, report, first && o.fault === 'drop-mid-file');
      if (first) {
        // As 1C does: the pictures import.xml names follow it, before offers.xml; the site imports after all files.
        for (const pic of pictures) {
          const bytes = renderProductPicture(pic.sku, pic.kind, pic.index);
          await sendFile(o, 'catalog', s, pic.name, bytes, setup.fileLimit);
          countPicture(bytes);
        }
      }
      first = false;
    }
  }
  const max = o.maxImportCalls ?? 10_000;
  for (const f of rendered) {
    for (let calls = 1; ; calls++) {
      if (calls > max) throw new Stop('import', `${f.name}: no end after ${max} calls`);
      report.importCalls += 1;
      const a = await request(url(o, { type: 'catalog', mode: 'import', filename: f.name }, s), { method: 'GET', headers: { Cookie: s.cookie } });
      const l = lines(a);
      report.importAnswers.push(l.join(' | '));
      if (l[0] === 'progress') {
        report.progressAnswers += 1;
        continue;
      }
      if (l[0] === 'success') break;
      throw new Stop('import', `${f.name}: ${l.slice(1).join(' ') || `HTTP ${a.status}`}`);
    }
  }
  await request(url(o, { type: 'catalog', mode: 'complete' }, s), { method: 'GET', headers: { Cookie: s.cookie } });
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => ['Документ', 'Товар', 'ЗначениеРеквизита', 'Контрагент'].includes(name) });

type Doc = { Ид?: string; Номер?: string; Сумма?: string; Контрагенты?: { Контрагент?: Array<{ Ид?: string }> }; Товары?: { Товар?: Array<{ Ид?: string; Количество?: string; ЦенаЗаЕдиницу?: string }> } };

async function exchangeSale(o: RunCommerceMlExchangeOptions, report: CmlExchangeReport): Promise<void> {
  const s = await checkauth(o, 'sale');
  const setup = await init(o, 'sale', s);
  const q = await request(url(o, { type: 'sale', mode: 'query' }, s), { method: 'GET', headers: { Cookie: s.cookie } });
  const contentType = String(q.headers['content-type'] ?? '');
  report.saleContentType = contentType;
  const charset = /charset=([\w-]+)/i.exec(contentType)?.[1] ?? 'utf-8';
  const text = iconv.decode(q.body, charset);
  if (!text.trimStart().startsWith('<?xml')) throw new Stop('sale-query', text.split('\n').slice(0, 2).join(' '));
  const parsed = parser.parse(text) as { КоммерческаяИнформация?: { Документ?: Doc[] } };
  report.orders = (parsed.КоммерческаяИнформация?.Документ ?? []).map((d) => ({
    id: String(d.Ид ?? ''),
    number: String(d.Номер ?? ''),
    total: String(d.Сумма ?? ''),
    customerId: String(d.Контрагенты?.Контрагент?.[0]?.Ид ?? ''),
    lines: (d.Товары?.Товар ?? []).map((t) => ({ id: String(t.Ид ?? ''), qty: String(t.Количество ?? ''), price: String(t.ЦенаЗаЕдиницу ?? '') })),
  }));
  const ok = await request(url(o, { type: 'sale', mode: 'success' }, s), { method: 'GET', headers: { Cookie: s.cookie } });
  if (lines(ok)[0] !== 'success') throw new Stop('sale-success', lines(ok).join(' '));
  if (report.orders.length === 0) return;
  const docs = report.orders.map((order, k) => {
    const st = o.statusFor?.(order) ?? { id: 'W', name: 'В работе', posted: true };
    const req = (n: string, v: string) => `<ЗначениеРеквизита>${tag('Наименование', n)}${tag('Значение', v)}</ЗначениеРеквизита>`;
    return `<Документ>${tag('Ид', order.id)}${tag('Номер', order.number)}${tag('Дата', o.catalog.asOf.slice(0, 10))}${tag('ХозОперация', 'Заказ товара')}${tag('Роль', 'Продавец')}${tag('Валюта', 'руб')}${tag('Сумма', order.total)}`
      + `<Товары>${order.lines.map((l) => `<Товар>${tag('Ид', l.id)}${tag('ЦенаЗаЕдиницу', l.price)}${tag('Количество', l.qty)}</Товар>`).join('')}</Товары>`
      + `<ЗначенияРеквизитов>${req('Номер по 1С', `ЗК00-${String(900000 + k).padStart(6, '0')}`)}${req('Дата по 1С', `${o.catalog.asOf.replace('T', ' ')}`)}${req('Проведен', String(st.posted ?? true))}${req('Отменен', String(st.cancelled ?? false))}${req('Статус заказа', `[${st.id}] ${st.name}`)}${req('Статуса заказа ИД', st.id)}</ЗначенияРеквизитов></Документ>`;
  });
  const xml = `<?xml version="1.0" encoding="windows-1251"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08" ДатаФормирования="${o.catalog.asOf}">\n${docs.join('\n')}\n</КоммерческаяИнформация>\n`;
  await sendExchangeFile(o, 'sale', s, 'documents.xml', iconv.encode(xml, 'windows-1251'), setup.fileLimit, report);
  report.statusesSent = report.orders.length;
}
