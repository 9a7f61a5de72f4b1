import type { AppContext } from '../../server/context.js';
import { selectRows } from '../../server/jobs/sql.js';
import { catalogFor } from '../../server/modules/catalog/index.js';
import { listProducts } from '../../server/modules/catalog/catalog.service.js';
import { waitFor } from '../http/placements-fixture.js';

/**
 * Waits until a portal's first full ERP sync has landed and this process's catalog shows it: every entity the
 * catalog is built from finished a full run, and the dealer (a Dealers item id) sees at least `priced` goods in stock
 * with a price. Without this a test races the sync: products arrive before prices and stock, and a catalog loaded in
 * between lists goods nobody can buy yet until its next change check.
 */
export async function waitForPricedCatalog(ctx: AppContext, portalId: number, dealerItemId: number, priced = 5, ms = 90_000): Promise<void> {
  const needed = ['products', 'prices', 'stock', 'priceTypes', 'warehouses'];
  await waitFor(
    async () => {
      const done = await selectRows<{ entity: string }>(ctx.db, "SELECT DISTINCT entity FROM sync_runs WHERE portal_id = :portalId AND mode = 'full' AND status = 'ok'", { portalId });
      return needed.every((e) => done.some((r) => r.entity === e));
    },
    ms,
    'the first full ERP sync',
  );
  await waitFor(
    async () => {
      const dealer = await ctx.dealers.findByItemId(portalId, dealerItemId);
      if (!dealer) return false;
      const catalog = await catalogFor(ctx, portalId);
      await catalog.check();
      const pricing = catalog.dealerPricing(dealer.id);
      if (!pricing) return false;
      const page = listProducts(catalog, pricing, { inStock: true, page: 1, pageSize: priced * 4 });
      return page.items.filter((i) => i.price).length >= priced;
    },
    ms,
    `priced goods in stock for dealer item ${dealerItemId}`,
  );
}
