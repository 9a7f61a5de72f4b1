/**
 * `npm run bench -- b24-bulk [--items=5000]`: bulk write of N crm.item.add through B24Client.callMany against a
 * sandbox portal running in a separate process with the default 50 burst / 2 per second limit (limits.md), tenant store
 * on MariaDB, limiter shared through Redis (as in production with REDIS_URL).
 *
 * Figures:
 * - b24_items_per_hit: items written per HTTP request the portal counted (batch packing; at most 50).
 * - b24_bulk_time_vs_floor: wall time / (N / 50 / 2 s) — the time the docs' sustained rate allows for N items in
 *   full batches. The initial burst lets a healthy client beat it.
 * - b24_limit_errors_surfaced: QUERY_LIMIT_EXCEEDED errors that reached the caller.
 * Extra: refusals the portal sent at all, failed calls, items the portal stored (each must exist exactly once), and
 * the time against the floor that counts the initial burst.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { loadConfig } from '../../server/config.js';
import { closeContext, createContext } from '../../server/context.js';
import { createLogger } from '../../server/lib/logger.js';
import { createPortalClient, createRateLimiter, type B24Call } from '../../server/bitrix24/index.js';
import { createMariaDbDatabase } from '../support/databases.js';
import { round, type Figure } from './figure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface SandboxProcess {
  child: ChildProcess;
  url: string;
  secret: string;
}

/** Starts `sandbox/main.ts` in its own Node process on an ephemeral port and reads its URL and control secret. */
async function startSandboxProcess(): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', '--port', '0', '--no-https', '--no-demo'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}:\n${out}\n${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /Sandbox portal: (http:\/\/\S+)/.exec(out)?.[1];
      const secret = /Control secret[^:]*\): (\S+)/.exec(out)?.[1];
      if (url && secret) {
        clearTimeout(timer);
        resolvePromise({ child, url, secret });
      }
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise();
    child.once('exit', () => resolvePromise());
    child.kill('SIGTERM');
  });
}

export async function run(args: string[]): Promise<Figure[]> {
  const items = Number(args.find((a) => a.startsWith('--items='))?.split('=')[1] ?? 5000);
  const sandbox = await startSandboxProcess();
  const control = axios.create({ baseURL: `${sandbox.url}/_sandbox`, headers: { 'X-Sandbox-Secret': sandbox.secret } });
  // The app's install page: the portal POSTs the install form here; the tokens we use come from /_sandbox/tokens.
  const appSide = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => appSide.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(appSide.address() as AddressInfo).port}`;
  const db = await createMariaDbDatabase();
  try {
    const clientId = `local.${randomBytes(6).toString('hex')}.bench0001`;
    const clientSecret = randomBytes(18).toString('base64url');
    await control.post('/apps', { clientId, clientSecret, appUrl: `${appUrl}/app`, installUrl: `${appUrl}/install`, scope: ['crm', 'user'] });
    await control.post('/apps/install', { clientId });
    const tokens = (await control.post('/tokens', { userId: 1, clientId })).data.result as {
      accessToken: string; refreshToken: string; expiresIn: number; memberId: string; domain: string; serverEndpoint: string; clientEndpoint: string;
    };

    const config = loadConfig({
      APP_MODE: 'sandbox',
      DATA_DIR: resolve(root, 'data', 'bench'),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      APP_CLIENT_ID: clientId,
      APP_CLIENT_SECRET: clientSecret,
      APP_SECRET_KEY: randomBytes(32).toString('hex'),
      B24_OAUTH_SERVERS: tokens.serverEndpoint,
      REDIS_URL,
    });
    const ctx = await createContext(config, { logger: createLogger('warn') });
    const limiter = createRateLimiter({ ...config.b24.rateLimit, redisUrl: config.redisUrl, keyPrefix: `bench:${randomBytes(6).toString('hex')}:` });
    try {
      const { portal } = await ctx.portals.upsertInstalled({
        memberId: tokens.memberId,
        domain: tokens.domain,
        protocol: 'http',
        clientEndpoint: tokens.clientEndpoint,
        serverEndpoint: tokens.serverEndpoint,
        scope: ['crm', 'user'],
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
      });
      const client = createPortalClient({ portals: ctx.portals, config, logger: ctx.logger, limiter, portalId: portal.id });
      const type = await client.call<{ type: { entityTypeId: number } }>('crm.type.add', { fields: { title: 'Bench orders' } });
      const eti = type.type.entityTypeId;

      const calls: B24Call[] = Array.from({ length: items }, (_, i) => ({
        method: 'crm.item.add',
        params: { entityTypeId: eti, fields: { title: `Bench order ${i}`, xmlId: `BENCH-${i}` } },
      }));
      const before = client.stats();
      const started = performance.now();
      const outcomes = await client.callMany(calls);
      const seconds = (performance.now() - started) / 1000;
      const after = client.stats();

      const hits = after.hits - before.hits;
      const failed = outcomes.filter((o) => !o.ok);
      const limitSurfaced = failed.filter((o) => !o.ok && (o.error.kind === 'rate_limit' || o.error.code === 'QUERY_LIMIT_EXCEEDED')).length;
      const stored = ((await control.get('/store/items')).data.result as Array<{ entityTypeId: number; fields: { xmlId?: string } }>).filter((r) => r.entityTypeId === eti);
      const distinct = new Set(stored.map((r) => r.fields.xmlId)).size;
      const floor = items / 50 / 2;
      console.log(`  ${items} items in ${round(seconds, 1)} s over ${hits} requests; floor ${floor} s; portal refusals ${after.limitErrors - before.limitErrors}; stored ${stored.length} (${distinct} distinct)`);

      return [
        { name: 'b24_items_per_hit', value: round(items / hits, 2), unit: 'items/request', goal: '>= 49' },
        { name: 'b24_bulk_time_vs_floor', value: round(seconds / floor, 3), unit: 'ratio', goal: '<= 1.05' },
        { name: 'b24_limit_errors_surfaced', value: limitSurfaced, unit: 'errors', goal: '= 0' },
        { name: 'b24_limit_errors_received', value: after.limitErrors - before.limitErrors, unit: 'errors', goal: '= 0' },
        { name: 'b24_bulk_failed_calls', value: failed.length, unit: 'calls', goal: '= 0' },
        { name: 'b24_bulk_items_stored_once', value: stored.length === items && distinct === items ? 1 : 0, unit: 'bool', goal: '= 1' },
        { name: 'b24_bulk_seconds', value: round(seconds, 2), unit: 's' },
        // Informational: against the floor that also counts the bucket's initial burst of 50 (what the portal allows
        // at best); the gap is our safety margin (2 slots, 3 % slower drain).
        { name: 'b24_bulk_time_vs_burst_floor', value: round(seconds / Math.max(1, (hits + 1 - 50) / 2), 3), unit: 'ratio' },
      ];
    } finally {
      await limiter.close?.();
      await closeContext(ctx);
    }
  } finally {
    await db.drop().catch(() => undefined);
    appSide.close();
    await stopProcess(sandbox.child);
  }
}
