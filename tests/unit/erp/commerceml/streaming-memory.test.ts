import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommerceMl } from '../../../../server/erp/onec-commerceml/parse-commerceml.js';
import { generateCatalog } from '../../../../sandbox/erp/catalog/index.js';
import { renderCommerceMl } from '../../../../sandbox/erp/onec-commerceml/index.js';

/** A big offers.xml streams through the parser with memory bounded by a batch, not by the file. */

describe('CommerceML streaming', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when a 50+ MB offers.xml is parsed, then every offer arrives in batches and the process grows by less than 150 MB', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dh-cml-big-'));
    const skus = 16_000;
    const cat = generateCatalog({ seed: 'cml-big', skus, warehouses: 8 });
    const [offers] = await renderCommerceMl(cat, dir, { version: '2.10', encoding: 'utf-8', offersOnly: true });
    const size = (await stat(offers?.path as string)).size;
    expect(size).toBeGreaterThanOrEqual(50 * 1024 * 1024);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let prices = 0;
    let stock = 0;
    let maxBatch = 0;
    const summary = await parseCommerceMl(offers?.path as string, async (event, items) => {
      maxBatch = Math.max(maxBatch, items.length);
      if (event === 'prices') prices += items.length;
      if (event === 'stock') stock += items.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }, { batchSize: 1000 });
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(summary.bytes).toBe(size);
    expect(prices).toBe(skus * cat.priceTypes.length);
    expect(stock).toBe([...cat.stock()].length);
    expect(maxBatch).toBeLessThanOrEqual(1000);
    expect(peak - baseline).toBeLessThan(150 * 1024 * 1024);
  }, 90_000);
});
