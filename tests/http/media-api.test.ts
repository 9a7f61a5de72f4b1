import request from 'supertest';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { formatLocal, generateCatalog, renderProductPicture, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createApp } from '../../server/app.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import type { ErpConnector } from '../../server/erp/port.js';
import { createErpSyncForContext } from '../../server/erp/sync/index.js';
import { selectRows } from '../../server/jobs/sql.js';
import { issueWidgetSession } from '../../server/modules/access/index.js';
import { catalogFor, catalogRoutes, configureCatalog } from '../../server/modules/catalog/index.js';
import { createMediaCache, createMediaLinks, mediaLinksFor, mediaRoutes } from '../../server/modules/media/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

const SESSION_HEADER = 'X-DealerHub-Session';

/**
 * Pictures and document files end to end over HTTP: the 1C emulator's attached files synced into the read model,
 * the catalog API handing out signed picture addresses, the media routes fetching the bytes from 1C once and
 * serving them from disk after that, and every way a link can be wrong.
 */
describe('media: ERP pictures and document files at signed addresses', () => {
  let t: TestContext;
  let app: Express;
  let running: RunningOnecOdataEmulator;
  let cat: GeneratedCatalog;
  let connector: ErpConnector;
  let portalId: number;
  let token: string;
  let erpCalls = 0;

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'warn' });
    configureCatalog(t.ctx, { checkIntervalMs: 0 });
    cat = generateCatalog({ seed: 'media-api', skus: 120, customers: 3, ordersPerCustomer: 4, asOf: formatLocal(Date.now()) });
    running = await startOnecOdataEmulator({ catalog: cat });
    const real = createOnecOdataConnector({ baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', timeoutMs: 3000 });
    // Counts the ERP reads of files, to see the cache at work.
    connector = {
      ...real,
      productPicture: (key, signal) => { erpCalls += 1; return real.productPicture!(key, signal); },
      documentFile: (ref, signal) => { erpCalls += 1; return real.documentFile!(ref, signal); },
    };
    ({ portal: { id: portalId } } = await t.ctx.portals.upsertInstalled({ memberId: 'media-test', domain: 'media.bitrix24.ru', protocol: 'https' }));
    const sync = createErpSyncForContext(t.ctx, { connectorFor: () => connector });
    const summary = await sync.runSync(portalId, 'all', { mode: 'full' });
    expect(summary.failed).toEqual([]);
    const cache = createMediaCache({ dir: `${t.ctx.config.dataDir}/media`, ttlMs: 3600_000 });
    app = createApp(t.ctx, [(a, c) => void a.use('/api', catalogRoutes(c)), (a, c) => void a.use(mediaRoutes(c, { connectorFor: () => connector, feed: null, cache }))]);
    token = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: 1, role: 'manager', dealerId: null, widget: 'cabinet' }).token;
  });
  afterAll(async () => {
    await running.close();
    await t.close();
  });

  /** A product on sale with at least `min` pictures; `last` picks from the end (one no earlier test has shown). */
  const productWithPictures = async (min: number, last = false) => {
    const catalog = await catalogFor(t.ctx, portalId);
    const candidates = catalog.snapshot!.index.products.filter((x) => x.onSale && x.pictures.length >= min);
    const p = (last ? candidates.at(-1) : candidates[0])!;
    return { id: p.id, generated: [...cat.products()].find((x) => x.ref === p.erpId)! };
  };

  it('when the catalog lists products, then each picture is a signed address that gives the very image 1C keeps', async () => {
    const { id, generated } = await productWithPictures(2);
    const card = await request(app).get(`/api/catalog/products/${id}`).set(SESSION_HEADER, token);
    expect(card.status).toBe(200);
    const pictures = card.body.pictures as string[];
    expect(pictures).toHaveLength(generated.pictures.length);
    expect(pictures[0]).toMatch(new RegExp(`^/media/pictures/${portalId}/${id}/0\\?e=\\d+&s=[\\w-]+$`));
    for (const [k, url] of pictures.entries()) {
      const res = await request(app).get(url).buffer(true);
      expect(res.status, url).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(Buffer.compare(res.body as Buffer, renderProductPicture(generated.sku, generated.kind, k))).toBe(0);
      expect(PNG.sync.read(res.body as Buffer).width).toBe(200);
    }
    // Lists and search give the first picture at the same address (one address per window: the browser's cache works).
    const page = await request(app).get('/api/catalog/products').query({ q: generated.sku, pageSize: 5 }).set(SESSION_HEADER, token);
    expect(page.body.items.find((x: { id: number }) => x.id === id).picture).toBe(pictures[0]);
  });

  it('when a picture is asked for again, then it comes from disk; while 1C is down the cached copy still shows and a new one says why', async () => {
    const { id } = await productWithPictures(1);
    const url = mediaLinksFor(t.ctx.config.app.secretKey).picture(portalId, id, 0);
    expect((await request(app).get(url)).status).toBe(200);
    const before = erpCalls;
    const off = running.emulator.faults.inject({ kind: 'down' });
    try {
      expect((await request(app).get(url)).status).toBe(200);
      expect(erpCalls).toBe(before);
      const other = await productWithPictures(1, true);
      const fresh = await request(app).get(mediaLinksFor(t.ctx.config.app.secretKey).picture(portalId, other.id, 0));
      expect(fresh.status).toBe(503);
      expect(fresh.body.error.message).toMatch(/ERP is not answering/);
    } finally {
      off();
    }
  });

  it('when a link is tampered with, borrowed for another portal or a document, or expired, then it is refused with a reason', async () => {
    const { id } = await productWithPictures(2);
    const good = mediaLinksFor(t.ctx.config.app.secretKey).picture(portalId, id, 0);
    const tampered = good.replace(/s=([\w-])/, (_m, c: string) => `s=${c === 'A' ? 'B' : 'A'}`);
    expect((await request(app).get(tampered)).status).toBe(403);
    // A picture signature covers the portal's pictures, nothing else: not another portal's, not a document.
    expect((await request(app).get(good.replace(`/${id}/0?`, `/${id}/1?`))).status).toBe(200);
    const docQuery = mediaLinksFor(t.ctx.config.app.secretKey).document(portalId, 1).split('?')[1];
    expect((await request(app).get(`${good.split('?')[0]}?${docQuery}`)).status).toBe(403);
    expect((await request(app).get(`/media/documents/${portalId}/1?${good.split('?')[1]}`)).status).toBe(403);
    expect((await request(app).get(good.replace(`/${portalId}/`, `/${portalId + 1}/`))).status).toBe(403);
    expect((await request(app).get(good.split('?')[0]!)).status).toBe(403);
    const yesterday = createMediaLinks(t.ctx.config.app.secretKey, () => Date.now() - 2 * 86_400_000).picture(portalId, id, 0);
    const expired = await request(app).get(yesterday);
    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toMatch(/expired; reload/);
    // Signed with another key (another installation): not valid here.
    const foreign = createMediaLinks(Buffer.alloc(32, 7)).picture(portalId, id, 0);
    expect((await request(app).get(foreign)).status).toBe(403);
    // A picture number the product does not have.
    const missing = await request(app).get(mediaLinksFor(t.ctx.config.app.secretKey).picture(portalId, id, 9));
    expect(missing.status).toBe(404);
    expect((await request(app).get('/media/pictures/x/1/0?e=1&s=a')).status).toBe(400);
  });

  it('when a document has a file in 1C, then its signed address gives the PDF; a document without one is not found', async () => {
    const docs = await selectRows<{ id: number; has_file: unknown; number: string }>(t.ctx.db, 'SELECT id, has_file, number FROM erp_documents WHERE portal_id = :portalId ORDER BY id', { portalId });
    const withFile = docs.filter((d) => Number(d.has_file));
    expect(withFile.length).toBeGreaterThan(0);
    const links = mediaLinksFor(t.ctx.config.app.secretKey);
    const res = await request(app).get(links.document(portalId, Number(withFile[0]!.id))).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename=".+\.pdf"; filename\*=UTF-8''/);
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The emulator's one-page PDF names the document (its standard font has no Cyrillic: the digits are what is left).
    expect((res.body as Buffer).toString('latin1')).toContain(withFile[0]!.number.replace(/\D+/g, '').slice(-6));
    const without = docs.find((d) => !Number(d.has_file));
    if (without) expect((await request(app).get(links.document(portalId, Number(without.id)))).status).toBe(404);
    // Another portal's signature over this document id does not open it.
    expect((await request(app).get(links.document(portalId + 1, Number(withFile[0]!.id)))).status).toBe(404);
  });
});
