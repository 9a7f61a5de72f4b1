import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { migrateDown, migrateUp, pendingMigrations } from '../../server/db/migrate.js';
import { purgePortalData } from '../../server/db/purge-portal.js';
import { createAuditRepository } from '../../server/modules/audit/index.js';
import { createPortalsRepository } from '../../server/modules/portals/index.js';
import { STORAGE_BACKENDS, useMigratedDatabase } from '../support/databases.js';

const KEY = Buffer.alloc(32, 7);

/** One battery, every storage backend (STYLE.md): SQLite (embedded default) and MariaDB (production path). */
describe.each(STORAGE_BACKENDS)('storage on $name', ({ create }) => {
  const database = useMigratedDatabase(create);
  let db: Database;
  beforeAll(() => {
    db = database();
  });

  it('when migrations ran, then none is pending and a second run applies nothing', async () => {
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await migrateUp(db)).toEqual([]);
    expect(await db.ping()).toBe(true);
  });

  it('when a portal is upserted twice with the same member_id, then one row exists and tokens round-trip sealed', async () => {
    const repo = createPortalsRepository(db.sequelize, KEY);
    const input = {
      memberId: 'm-battery-1',
      domain: 'dealer.bitrix24.ru',
      protocol: 'https' as const,
      scope: ['crm', 'placement'],
      applicationToken: 'app-token-1',
      tokens: { accessToken: 'AT1', refreshToken: 'RT1', expiresAt: new Date(Date.now() + 3600_000) },
    };
    const first = await repo.upsertInstalled(input);
    const second = await repo.upsertInstalled({ ...input, tokens: { ...input.tokens, accessToken: 'AT2' } });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.portal.id).toBe(first.portal.id);
    expect((await repo.list()).filter((p) => p.memberId === 'm-battery-1')).toHaveLength(1);
    expect((await repo.getTokens(first.portal.id))?.accessToken).toBe('AT2');
    expect(await repo.applicationTokenMatches('m-battery-1', 'app-token-1')).toBe(true);
    expect(await repo.applicationTokenMatches('m-battery-1', 'app-token-2')).toBe(false);
    const [raw] = (await db.sequelize.query('SELECT access_token_sealed, application_token_sealed FROM portals WHERE member_id = ?', { replacements: ['m-battery-1'] }))[0] as Array<Record<string, string>>;
    expect(raw!.access_token_sealed).not.toContain('AT2');
    expect(raw!.application_token_sealed).not.toContain('app-token-1');
  });

  it('when settings are patched, then keys merge and unicode survives', async () => {
    const repo = createPortalsRepository(db.sequelize, KEY);
    const { portal } = await repo.upsertInstalled({ memberId: 'm-battery-2', domain: 'b.bitrix24.ru', protocol: 'https' });
    await repo.patchSettings(portal.id, { orders: { entityTypeId: 1038, title: 'Заказы' } });
    const next = await repo.patchSettings(portal.id, { dealers: { entityTypeId: 1040 } });
    expect(next).toEqual({ orders: { entityTypeId: 1038, title: 'Заказы' }, dealers: { entityTypeId: 1040 } });
    expect((await repo.findById(portal.id))?.settings).toEqual(next);
  });

  it('when a portal is purged, then its rows go from every portal_id table and other portals keep theirs', async () => {
    const repo = createPortalsRepository(db.sequelize, KEY);
    const audit = createAuditRepository(db.sequelize);
    const a = (await repo.upsertInstalled({ memberId: 'm-purge-a', domain: 'a.bitrix24.ru', protocol: 'https' })).portal;
    const b = (await repo.upsertInstalled({ memberId: 'm-purge-b', domain: 'b2.bitrix24.ru', protocol: 'https' })).portal;
    await audit.record({ portalId: a.id, actor: 'test', action: 'x' });
    await audit.record({ portalId: b.id, actor: 'test', action: 'y' });
    const deleted = await purgePortalData(db.sequelize, a.id);
    expect(deleted.audit_log).toBe(1);
    expect(await audit.listForPortal(a.id)).toEqual([]);
    expect((await audit.listForPortal(b.id)).map((e) => e.action)).toEqual(['y']);
  });

  it('when migrations are reverted, then the schema is empty and can be rebuilt', async () => {
    const reverted = await migrateDown(db, 0);
    expect(reverted.length).toBeGreaterThan(0);
    expect(await pendingMigrations(db)).toHaveLength(reverted.length);
    await migrateUp(db);
    expect(await pendingMigrations(db)).toEqual([]);
  });
});

describe('SQLite transactions', () => {
  it('when several managed transactions overlap, then they run one after another instead of colliding', async () => {
    const { createDatabase } = await import('../../server/db/database.js');
    const { migrateUp } = await import('../../server/db/migrate.js');
    const db = createDatabase({ url: 'sqlite::memory:' });
    await migrateUp(db);
    const repo = createPortalsRepository(db.sequelize, KEY);
    const { portal } = await repo.upsertInstalled({ memberId: 'm-concurrent', domain: 'c.bitrix24.ru', protocol: 'https' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => repo.updateSettings(portal.id, (s) => ({ ...s, [`k${i}`]: i }))));
    expect(Object.keys((await repo.findById(portal.id))!.settings).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
    await db.close();
  });
});
