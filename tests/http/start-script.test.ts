import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../server/db/database.js';

/**
 * `npm start` as a newcomer runs it (scripts/start.mjs): builds the widgets if needed, starts the app and the sandbox
 * portal, installs the app, prints the URLs, answers /health, seeds the demo data, and stops cleanly on SIGTERM.
 */
describe('npm start', () => {
  it('when started on a fresh data dir, then it prints the URLs, /health answers, the portal is installed with its demo data and SIGTERM stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dh-start-'));
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', APP_MODE: 'sandbox', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/^Webhook: /m.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const appUrl = /^DealerHub: (\S+)$/m.exec(out)?.[1];
      const portalUrl = /^Sandbox portal: (\S+)$/m.exec(out)?.[1];
      expect(appUrl, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(portalUrl, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toMatch(/^Webhook: http:\/\/127\.0\.0\.1:\d+\/rest\/1\/[a-z0-9]+\/$/m);
      const health = await fetch(`${appUrl}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', mode: 'sandbox', db: { dialect: 'sqlite', up: true } });
      const webhook = /^Webhook: (\S+)$/m.exec(out)![1]!;
      const profile = (await (await fetch(`${webhook}profile`)).json()) as { result?: { ADMIN?: boolean } };
      expect(profile.result?.ADMIN).toBe(true);
      // The demo data arrives in the background as on a real portal: dealers and the discount book (rules and an
      // offer) synced from the smart processes, and, installFinish done, the portal's item events reach the app.
      const live = createDatabase({ url: `sqlite:${join(dataDir, 'dealerhub.sqlite')}` });
      const count = async (sql: string) => Number(((await live.sequelize.query(sql))[0][0] as { n: number }).n);
      let seen = { dealers: 0, rules: 0, events: 0 };
      try {
        const until = Date.now() + 60_000;
        while (Date.now() < until) {
          seen = {
            dealers: await count('SELECT COUNT(*) AS n FROM dealers'),
            rules: await count("SELECT COUNT(*) AS n FROM pricing_rules WHERE status = 'ok'"),
            events: await count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'pricing.rule.sync' AND status = 'done'"),
          };
          if (seen.dealers >= 2 && seen.rules >= 3 && seen.events >= 3) break;
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        await live.close();
      }
      expect(seen).toEqual({ dealers: 2, rules: 3, events: 3 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // The app installed itself into the sandbox portal: one tenant row, installed, with sealed tokens.
    const db = createDatabase({ url: `sqlite:${join(dataDir, 'dealerhub.sqlite')}` });
    const [rows] = await db.sequelize.query('SELECT status, access_token_sealed, application_token_sealed FROM portals');
    await db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'installed', access_token_sealed: expect.stringMatching(/^v1\./), application_token_sealed: expect.stringMatching(/^v1\./) });
  }, 120_000);
});
