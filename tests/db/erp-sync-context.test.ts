import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocal, generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createErpSyncForContext, getSyncHealth } from '../../server/erp/sync/index.js';
import { readModelTotals } from '../../server/erp/read-model/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

describe('ERP sync wired to the app context', () => {
  let running: RunningOnecOdataEmulator;
  const contexts: TestContext[] = [];

  beforeAll(async () => {
    running = await startOnecOdataEmulator({ catalog: generateCatalog({ seed: 'ctx-sync', skus: 60, customers: 2, asOf: formatLocal(Date.now()) }) });
  });
  afterAll(async () => {
    for (const t of contexts) await t.close();
    await running.close();
  });

  it('when the configuration names no ERP, then syncs are skipped with the reason and nothing is written', async () => {
    const t = await createTestContext({ LOG_LEVEL: 'silent', ERP_KIND: 'none' });
    contexts.push(t);
    const sync = createErpSyncForContext(t.ctx);
    const summary = await sync.runSync(1, 'catalog');
    expect(summary.results.map((r) => [r.entity, r.status, r.reason])).toEqual(
      ['groups', 'warehouses', 'priceTypes', 'products', 'prices', 'stock'].map((e) => [e, 'skipped', 'no ERP connection is configured for this portal']),
    );
    expect((await getSyncHealth(t.ctx.db, 1)).entities.every((e) => e.status === 'never')).toBe(true);
  });

  it('when the configuration names the 1C OData base, then the context queue runs a sync job against it', async () => {
    const t = await createTestContext({ LOG_LEVEL: 'silent', ERP_KIND: '1c-odata', ERP_URL: running.baseUrl, ERP_USER: 'odata', ERP_PASSWORD: 'odata', ERP_TIMEZONE: 'UTC' });
    contexts.push(t);
    const sync = createErpSyncForContext(t.ctx);
    sync.registerJobs();
    const job = await sync.enqueueSync(1, 'catalog', { mode: 'full' });
    expect(job.created).toBe(true);
    expect((await sync.enqueueSync(1, 'catalog', { mode: 'full' })).created).toBe(false);
    await t.ctx.jobs.drain();
    expect(await t.ctx.jobs.get(job.id)).toMatchObject({ status: 'done' });
    const totals = await readModelTotals(t.ctx.db, 1);
    expect(totals.products).toBeGreaterThan(0);
    expect(totals.products + totals.deletedProducts).toBe(60);
    expect(totals.prices.length).toBeGreaterThan(0);
  });
});
