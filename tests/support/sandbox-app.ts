import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxPortal } from '../../sandbox/index.js';
import { composeApp } from '../../server/compose-app.js';
import { startSandboxMode, type SandboxHandle } from '../../server/sandbox-mode.js';
import { ensureWidgetsBuilt, waitFor } from '../http/placements-fixture.js';
import { createTestContext, type TestContext } from './context.js';
import { waitForPricedCatalog } from './demo-ready.js';

export interface SandboxApp {
  t: TestContext;
  server: Server;
  /** The app's own URL (what the portal calls). */
  appUrl: string;
  sandbox: SandboxHandle;
  portal: SandboxPortal;
  portalId: number;
  /** The messenger's IM_NAVIGATION placement of the cabinet (open it with `/online/?IM_APP=<id>`). */
  cabinetPlacementId: number;
  /** The demo's Dealers items, each synced and with a priced catalog. */
  dealerItemIds: number[];
  close(): Promise<void>;
}

/**
 * The app as `npm start` runs it, for the cabinet's browser tests: the composed app on a SQLite file, the sandbox
 * portal with DealerHub installed, the 1C OData emulator and the demo data; returns once the demo's dealers are in
 * the read model and each sees a priced catalog (the first full ERP sync landed).
 */
export async function startSandboxApp(name: string): Promise<SandboxApp> {
  ensureWidgetsBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `dealerhub-${name}-`));
  const t = await createTestContext({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'dealerhub.sqlite')}`, HOST: '127.0.0.1', PORT: '0', SANDBOX_PORT: '0', SANDBOX_HTTPS_PORT: '0' });
  // As in tests/http/placements-fixture.ts: SQLite in WAL mode needs IMMEDIATE transactions with workers running.
  if (t.ctx.db.dialect === 'sqlite') (t.ctx.db.sequelize as unknown as { options: { transactionType?: string } }).options.transactionType = 'IMMEDIATE';
  let appUrl = '';
  const { app } = composeApp(t.ctx, { publicUrl: () => appUrl });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await t.ctx.jobs.startWorkers({ concurrency: 4, pollMs: 25 });
  const sandbox = await startSandboxMode(t.ctx, appUrl);
  const portal = sandbox.portal;
  portal.faults.setRateLimit(null);
  const seeded = await sandbox.demo;
  if (seeded !== 'seeded') throw new Error(`the sandbox demo data was not seeded: ${seeded}`);
  const portalId = (await t.ctx.portals.findByMemberId(sandbox.memberId))!.id;
  const cabinetPlacementId = portal.store.placements.all().find((p) => p.placement === 'IM_NAVIGATION' && p.clientId === t.ctx.config.app.clientId)!.id;
  // The demo's dealers reach the read model through the portal's events, the catalog through the first ERP sync.
  const { dealerItemIds } = (await t.ctx.portals.findById(portalId))!.settings.demo as { dealerItemIds: number[] };
  for (const itemId of dealerItemIds) await waitFor(() => t.ctx.dealers.findByItemId(portalId, itemId), 30_000, `dealer item ${itemId} synced`);
  for (const itemId of dealerItemIds) await waitForPricedCatalog(t.ctx, portalId, itemId);
  return {
    t,
    server,
    appUrl,
    sandbox,
    portal,
    portalId,
    cabinetPlacementId,
    dealerItemIds,
    async close() {
      await new Promise((r) => server.close(r));
      server.closeAllConnections?.();
      await sandbox.close();
      await t.close();
    },
  };
}
