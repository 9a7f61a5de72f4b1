import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** Several independent portals side by side, and a demo portal that survives a restart through its persist file. */
const dir = mkdtempSync(join(tmpdir(), 'sandbox-portal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two portals', () => {
  it('when two portals run at once, then member ids, ports, data and tokens are their own', async () => {
    const a = await startSandboxPortal({ httpsPort: null });
    const b = await startSandboxPortal({ httpsPort: null });
    const appA = await installTestApp(a);
    try {
      expect(a.memberId).not.toBe(b.memberId);
      expect(a.url).not.toBe(b.url);
      await resultOf(a.webhookUrl, 'crm.type.add', { fields: { title: 'Только в A' } });
      const typesB = await resultOf<{ types: unknown[] }>(b.webhookUrl, 'crm.type.list');
      expect(typesB.types).toEqual([]);
      const tokenA = a.issueTokens(1, appA.clientId).accessToken;
      expect((await restCall(b.clientEndpoint, 'profile', { auth: tokenA })).body.error).toBe('invalid_token');
      const secretA = a.webhookUrl.split('/').at(-2);
      expect((await restCall(`${b.url}/rest/1/${secretA}/`, 'profile')).status).toBe(401);
      a.faults.rateLimitStorm({ calls: 1 });
      expect((await restCall(b.webhookUrl, 'profile')).status).toBe(200);
    } finally {
      await appA.receiver.close();
      await a.close();
      await b.close();
    }
  });
});

describe('persistence', () => {
  it('when a portal with persistFile restarts, then member_id, webhook, types, items, apps and tokens are still there', async () => {
    const file = join(dir, 'portal.sqlite');
    const first = await startSandboxPortal({ httpsPort: null, persistFile: file });
    const app = await installTestApp(first);
    const type = await resultOf<{ type: { entityTypeId: number } }>(first.webhookUrl, 'crm.type.add', { fields: { title: 'Сохранить', isStagesEnabled: 'Y' } });
    const { item } = await resultOf<{ item: { id: number; stageId: string } }>(first.webhookUrl, 'crm.item.add', { entityTypeId: type.type.entityTypeId, fields: { title: 'Живой' } });
    const pair = first.issueTokens(1, app.clientId);
    const memberId = first.memberId;
    const secret = first.webhookUrl.split('/').at(-2);
    await first.close();

    const second = await startSandboxPortal({ httpsPort: null, persistFile: file });
    try {
      expect(second.memberId).toBe(memberId);
      expect(second.webhookUrl.split('/').at(-2)).toBe(secret);
      expect(second.users.dealers).toHaveLength(2);
      const again = await resultOf<{ item: { title: string; stageId: string } }>(second.webhookUrl, 'crm.item.get', { entityTypeId: type.type.entityTypeId, id: item.id });
      expect(again.item).toMatchObject({ title: 'Живой', stageId: item.stageId });
      const next = await resultOf<{ item: { id: number } }>(second.webhookUrl, 'crm.item.add', { entityTypeId: type.type.entityTypeId, fields: {} });
      expect(next.item.id).toBe(item.id + 1);
      expect((await restCall(second.clientEndpoint, 'profile', { auth: pair.accessToken })).status).toBe(200);
      expect(second.store.apps.get(app.clientId)?.installed).toBe(true);
    } finally {
      await second.close();
      await app.receiver.close();
    }
  });
});
