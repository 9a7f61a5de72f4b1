import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, startSandboxWithApp } from '../../installer/testing/sandbox-tenant.js';
import { readRecord } from '../../installer/installer-record.js';
import { createTestContext } from '../support/context.js';

/**
 * `npm run installer -- plan|apply|uninstall` as an operator runs it: a separate process on the configured database,
 * against the sandbox portal, with readable output and exit codes 0/1.
 */
const root = resolve(import.meta.dirname, '..', '..');

describe('installer CLI', () => {
  let app: Awaited<ReturnType<typeof startSandboxWithApp>>;
  let dir: string;
  let env: Record<string, string>;

  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'installer/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => done({ code, out, err }));
    });

  beforeAll(async () => {
    app = await startSandboxWithApp();
    dir = mkdtempSync(join(tmpdir(), 'dealerhub-cli-'));
    env = {
      APP_MODE: 'sandbox',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      LOG_LEVEL: 'silent',
      APP_CLIENT_ID: app.clientId,
      APP_CLIENT_SECRET: app.clientSecret,
      APP_SECRET_KEY: 'ab'.repeat(32),
      B24_OAUTH_SERVERS: app.sandbox.serverEndpoint,
      PUBLIC_URL: app.publicUrl,
    };
    const t = await createTestContext(env);
    await registerTenant(t.ctx, app);
    await t.close();
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when the portal is unknown or the command is wrong, then it exits 1 saying why', async () => {
    const unknown = await cli('plan', '--portal', 'no-such-member');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no portal with member_id no-such-member is known to this DealerHub database/);
    const usage = await cli('install', '--portal', app.sandbox.memberId);
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/usage: npm run installer -- plan\|apply\|uninstall --portal <member_id>/);
  });

  it('when planning, applying and uninstalling, then it prints the diff, the progress and the result, exiting 0', async () => {
    const plan = await cli('plan', '--portal', app.sandbox.memberId, '--lang', 'en');
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('Smart processes (5)');
    expect(plan.out).toContain('+ Create smart process «Дилеры» / «Dealers» [dealers]');
    expect(plan.out).toMatch(/\(\d+ change\(s\); read with 1 request\(s\), nothing written\)/);
    expect(app.sandbox.store.types.all()).toEqual([]);

    const apply = await cli('apply', '--portal', app.sandbox.memberId);
    expect(apply.err).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.out).toMatch(/\[done\] Смарт-процессы 5\/5/);
    expect(apply.out).toMatch(/done: \d+ applied, 0 failed; \d+ writes, 4 requests to the portal/);

    const again = await cli('apply', '--portal', app.sandbox.memberId, '--dry-run');
    expect(again.code).toBe(0);
    expect(again.out).toContain('Изменений нет: портал соответствует манифесту.');

    const removed = await cli('uninstall', '--portal', app.sandbox.memberId, '--clean', '--drop-uninstall-event');
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/done: \d+ applied, 0 failed/);
    expect(app.sandbox.store.types.all()).toEqual([]);
    const t = await createTestContext(env);
    const portal = await t.ctx.portals.findByMemberId(app.sandbox.memberId);
    expect(readRecord(portal!.settings)).toMatchObject({ manifestVersion: null, smartProcesses: {}, placements: [], robots: [], events: [] });
    await t.close();
  });
});
