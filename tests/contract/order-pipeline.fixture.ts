import request from 'supertest';
import { readInstalled } from '../../installer/index.js';
import { generateCatalog, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator, type RunningOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createApp } from '../../server/app.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import { createErpSyncForContext, type ErpSync } from '../../server/erp/sync/index.js';
import { selectRows } from '../../server/jobs/sql.js';
import { attachDefaultAutomation, registerOrderRoutes, registerOrders } from '../../server/modules/orders/index.js';
import { catalogPortFor } from '../../server/modules/carts/index.js';
import { catalogFor } from '../../server/modules/catalog/index.js';
import { ensureWidgetsBuilt, startHarness, waitFor, type DealerInput, type Harness } from '../http/placements-fixture.js';

/**
 * The ordering pipeline's test bench: the sandbox portal with DealerHub installed (tests/http/placements-fixture.ts),
 * the 1C OData emulator as the ERP, the real ERP sync engine (read model from the emulator, outbox to it), the
 * ordering module registered on the same context, and the default automation attached to the Orders stages.
 */
export interface OrderBench {
  h: Harness;
  erp: RunningOnecOdataEmulator;
  catalog: GeneratedCatalog;
  sync: ErpSync;
  /** The app with the cart / checkout / orders / notifications routes (same context as the harness). */
  api(session: string): { get(p: string): request.Test; post(p: string): request.Test; patch(p: string): request.Test; put(p: string): request.Test; delete(p: string): request.Test };
  priceTypeErpId: string;
  customerErpIds: string[];
  /** SKUs on sale with a price for the given dealer (our dealers.id) and stock. */
  orderableSkus(dealerId: number, n: number): Promise<Array<{ sku: string; productId: number }>>;
  createSyncedDealer(input: DealerInput): Promise<{ itemId: number; dealerId: number }>;
  /** A widget session of a portal user, through a real placement POST. */
  session(userId: number, as: 'dealer' | 'staff'): Promise<string>;
  close(): Promise<void>;
}

export async function startOrderBench(opts: { skus?: number } = {}): Promise<OrderBench> {
  ensureWidgetsBuilt();
  const h = await startHarness();
  const catalog = generateCatalog({ seed: 'order-pipeline', skus: opts.skus ?? 150, warehouses: 3, customers: 4, ordersPerCustomer: 1 });
  const erp = await startOnecOdataEmulator({ catalog });
  const connector = createOnecOdataConnector({ baseUrl: erp.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize: 200, timeoutMs: 5_000 });
  const sync = createErpSyncForContext(h.t.ctx, {
    connectorFor: (portalId) => (portalId === h.portalId ? connector : null),
    options: { outboxBackoff: { baseMs: 20, maxMs: 100, jitter: 0.2 }, outboxMaxAttempts: 4, outboxSettleMs: 300 },
  });
  sync.registerJobs();
  registerOrders(h.t.ctx, { erpSync: sync });
  await sync.runSync(h.portalId, 'all', { mode: 'full' });
  const app = createApp(h.t.ctx, [registerOrderRoutes]);
  const settings = (await h.t.ctx.portals.findById(h.portalId))!.settings;
  attachDefaultAutomation(h.portal, readInstalled(settings));

  const [pt] = await selectRows<{ erp_id: string }>(h.t.ctx.db, "SELECT p.erp_id FROM erp_price_types p WHERE p.portal_id = :portalId AND EXISTS (SELECT 1 FROM erp_prices x WHERE x.price_type_id = p.id) ORDER BY p.id LIMIT 1", { portalId: h.portalId });
  const customers = await selectRows<{ erp_id: string }>(h.t.ctx.db, 'SELECT erp_id FROM erp_customers WHERE portal_id = :portalId ORDER BY id', { portalId: h.portalId });

  const bench: OrderBench = {
    h,
    erp,
    catalog,
    sync,
    priceTypeErpId: pt!.erp_id,
    customerErpIds: customers.map((c) => c.erp_id),
    api(session) {
      const s = (r: request.Test) => r.set('X-DealerHub-Session', session);
      return {
        get: (p) => s(request(app).get(`/api${p}`)),
        post: (p) => s(request(app).post(`/api${p}`)),
        patch: (p) => s(request(app).patch(`/api${p}`)),
        put: (p) => s(request(app).put(`/api${p}`)),
        delete: (p) => s(request(app).delete(`/api${p}`)),
      };
    },
    async orderableSkus(dealerId, n) {
      const port = (await catalogPortFor(h.t.ctx, h.portalId, dealerId))!;
      const out: Array<{ sku: string; productId: number }> = [];
      const snapshot = (await catalogFor(h.t.ctx, h.portalId)).snapshot!;
      for (const p of snapshot.index.products) {
        if (!p.sku) continue;
        const v = port.lookup([p.sku]).get(p.sku);
        if (!v || !v.onSale || v.packRatio || !port.quote(v.id, '1') || Number(port.available(v.id)) < 10) continue;
        out.push({ sku: p.sku, productId: v.id });
        if (out.length >= n) break;
      }
      return out;
    },
    async createSyncedDealer(input) {
      const itemId = await h.createDealer(input);
      const dealer = await waitFor(() => h.t.ctx.dealers.findByItemId(h.portalId, itemId), 10_000, `dealer ${input.title} synced`);
      return { itemId, dealerId: dealer.id };
    },
    async session(userId, as) {
      const res = await h.placementPost(userId, '/placement/cabinet', { placement: as === 'dealer' ? 'IM_NAVIGATION' : 'LEFT_MENU' });
      if (res.status !== 200) throw new Error(`placement for user ${userId}: ${res.status} ${res.text.slice(0, 200)}`);
      return h.bootstrapOf(res).session;
    },
    async close() {
      await h.close();
      await erp.close();
    },
  };
  return bench;
}
