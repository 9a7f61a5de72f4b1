/**
 * `npm run bench -- install`: a full fresh install of the manifest on a sandbox portal running in its own process
 * (default limits: 50 burst / 2 per second, limits.md), tenant store on MariaDB, then a re-run.
 *
 * Figures:
 * - install_rest_hits: HTTP requests the portal counted for the whole fresh install (reads and writes; a batch is
 *   one). The dependency chain bounds it: 1 read round (types, placements, robots, events in one batch) → 1 batch that
 *   creates the types (children name their parents through `$result[…]`) and reads their new pipelines → the
 *   commands that need the new ids (fields, stages, type tabs, robots, relations) 50 per batch.
 * - install_rest_hits_floor: that chain's minimum for this manifest: 2 + ceil(id-dependent commands / 50).
 * - reinstall_rest_writes: writes sent by a second run on the same portal (goal 0); reinstall_rest_hits its requests.
 * Extra: commands written, seconds, and the same for an upgrade that adds one field and one stage.
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
import { MANIFEST, type Manifest } from '../../installer/manifest.js';
import { reconcile } from '../../installer/reconcile/reconcile.js';
import { createMariaDbDatabase } from '../support/databases.js';
import { round, type Figure } from './figure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCOPE = ['crm', 'user', 'placement', 'bizproc', 'im', 'event', 'userfieldconfig'];

async function startSandboxProcess(): Promise<{ child: ChildProcess; url: string; secret: string }> {
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
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

function withOneMoreFieldAndStage(m: Manifest): Manifest {
  return {
    ...m,
    version: m.version + 1,
    smartProcesses: m.smartProcesses.map((sp) =>
      sp.key !== 'orders'
        ? sp
        : {
            ...sp,
            fields: [...sp.fields, { key: 'trackingNumber', code: 'TRACKING', type: 'string' as const, label: { ru: 'Трек-номер', en: 'Tracking number' } }],
            stages: [...sp.stages.slice(0, 7), { key: 'packed', code: 'PACKED', name: { ru: 'Собран', en: 'Packed' }, semantics: 'P' as const, color: '#B0B0B0' }, ...sp.stages.slice(7)],
          },
    ),
  };
}

export async function run(_args: string[]): Promise<Figure[]> {
  const sandbox = await startSandboxProcess();
  const control = axios.create({ baseURL: `${sandbox.url}/_sandbox`, headers: { 'X-Sandbox-Secret': sandbox.secret } });
  const appSide = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => appSide.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(appSide.address() as AddressInfo).port}`;
  const db = await createMariaDbDatabase();
  try {
    const clientId = `local.${randomBytes(6).toString('hex')}.bench0002`;
    const clientSecret = randomBytes(18).toString('base64url');
    await control.post('/apps', { clientId, clientSecret, appUrl: `${appUrl}/app`, installUrl: `${appUrl}/install`, scope: SCOPE });
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
    });
    const ctx = await createContext(config, { logger: createLogger('warn') });
    try {
      const { portal } = await ctx.portals.upsertInstalled({
        memberId: tokens.memberId,
        domain: tokens.domain,
        protocol: 'http',
        clientEndpoint: tokens.clientEndpoint,
        serverEndpoint: tokens.serverEndpoint,
        scope: SCOPE,
        languageId: 'ru',
        tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000), userId: 1 },
      });

      let started = performance.now();
      const install = await reconcile({ ctx, portalId: portal.id, publicUrl: appUrl });
      const installSeconds = (performance.now() - started) / 1000;
      if (install.status !== 'done') throw new Error(`install failed: ${JSON.stringify(install.failed.slice(0, 3))}`);
      const phase1 = install.plan.filter((o) => o.phase === 1 && !o.pending).length;
      const dependent = install.writes - phase1;
      const floor = 2 + Math.ceil(dependent / 50);

      started = performance.now();
      const again = await reconcile({ ctx, portalId: portal.id, publicUrl: appUrl });
      const againSeconds = (performance.now() - started) / 1000;

      const upgrade = await reconcile({ ctx, portalId: portal.id, publicUrl: appUrl, manifest: withOneMoreFieldAndStage(MANIFEST) });
      console.log(
        `  fresh install: ${install.writes} writes (${phase1} in the type batch, ${dependent} id-dependent) in ${install.hits} requests, ${round(installSeconds, 2)} s; ` +
          `re-run: ${again.writes} writes, ${again.hits} request(s), ${round(againSeconds, 2)} s; upgrade (+1 field, +1 stage): ${upgrade.writes} writes in ${upgrade.hits} requests`,
      );
      return [
        { name: 'install_rest_hits', value: install.hits, unit: 'requests', goal: `<= ${floor}` },
        { name: 'install_rest_hits_floor', value: floor, unit: 'requests' },
        { name: 'install_rest_writes', value: install.writes, unit: 'commands' },
        { name: 'install_seconds', value: round(installSeconds, 2), unit: 's' },
        { name: 'reinstall_rest_writes', value: again.writes, unit: 'commands', goal: '= 0' },
        { name: 'reinstall_rest_hits', value: again.hits, unit: 'requests', goal: '<= 1' },
        { name: 'upgrade_rest_writes', value: upgrade.writes, unit: 'commands' },
        { name: 'upgrade_rest_hits', value: upgrade.hits, unit: 'requests' },
      ];
    } finally {
      await closeContext(ctx);
    }
  } finally {
    await db.drop().catch(() => undefined);
    appSide.close();
    await stopProcess(sandbox.child);
  }
}
