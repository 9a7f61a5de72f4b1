import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app.js';
import { issueWidgetSession, scopeOf, sessionGuard, SESSION_HEADER } from '../../server/modules/access/index.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * sessionGuard reuses the portal row it read for two seconds (every API request needs it; the catalog benchmark
 * showed the read as the largest single cost per query). This process's own changes to the portal count at once;
 * another process's within the two seconds.
 */
describe('sessionGuard: the portal row, read once per moment', () => {
  let t: TestContext;
  let app: Express;
  let portalId: number;
  let token: string;

  beforeAll(async () => {
    t = await createTestContext({ LOG_LEVEL: 'warn' });
    ({ portal: { id: portalId } } = await t.ctx.portals.upsertInstalled({ memberId: 'guard-test', domain: 'guard.bitrix24.ru', protocol: 'https' }));
    app = createApp(t.ctx, [(a, c) => void a.get('/api/whoami', sessionGuard(c), (_req, res) => void res.json({ portalId: scopeOf(res).portal.id, status: scopeOf(res).portal.status }))]);
    token = issueWidgetSession(t.ctx.config.app.secretKey, { portalId, userId: 1, role: 'manager', dealerId: null, widget: 'cabinet' }).token;
  });
  afterAll(() => t.close());

  const whoami = () => request(app).get('/api/whoami').set(SESSION_HEADER, token);

  it('when requests follow each other, then the portal is read once; a change this process makes is seen by the next request', async () => {
    const reads = vi.spyOn(t.ctx.portals, 'findById');
    try {
      for (let i = 0; i < 5; i++) expect((await whoami()).status).toBe(200);
      expect(reads).toHaveBeenCalledTimes(1);
      await t.ctx.portals.patchSettings(portalId, { timeZone: 'Europe/Samara' });
      expect((await whoami()).status).toBe(200);
      expect(reads).toHaveBeenCalledTimes(2);
      await t.ctx.portals.markUninstalled(portalId);
      const gone = await whoami();
      expect(gone.status).toBe(401);
      expect(gone.body.error.message).toMatch(/no longer installed/);
    } finally {
      reads.mockRestore();
      await t.ctx.portals.setStatus(portalId, 'installed');
    }
  });

  it('when another process uninstalls the portal, then its sessions stop within two seconds', async () => {
    expect((await whoami()).status).toBe(200);
    // Another instance's write: straight to the database, this process's repository does not see it happen.
    await t.ctx.db.sequelize.query("UPDATE portals SET status = 'uninstalled' WHERE id = :portalId", { replacements: { portalId } });
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await whoami()).status).toBe(401);
  });
});
