import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import type { Receiver } from '../../sandbox/testing/receiver.js';
import {
  createMemoryRateLimiter, createPortalClient, createRedisRateLimiter, type B24Client, type RateLimiter, type RetryPolicy,
} from '../../server/bitrix24/index.js';
import type { OperatingOptions } from '../../server/bitrix24/operating-tracker.js';
import { createTestContext, type TestContext } from '../support/context.js';

/**
 * Shared setup of the B24Client contract tests: a sandbox portal in this process, our test app registered and installed
 * on it, a DealerHub context whose tenant store holds the portal and its install tokens, and clients on top.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface AppOnPortal {
  sandbox: SandboxPortal;
  receiver: Receiver;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  applicationToken: string;
  close(): Promise<void>;
}

export async function startPortalWithApp(opts: { rateLimit?: { burst: number; drainPerSecond: number } | null } = {}): Promise<AppOnPortal> {
  const sandbox = await startSandboxPortal({ httpPort: 0, httpsPort: 0 });
  if (opts.rateLimit !== undefined) sandbox.faults.setRateLimit(opts.rateLimit);
  const app = await installTestApp(sandbox);
  return {
    sandbox,
    ...app,
    async close() {
      await app.receiver.close();
      await sandbox.close();
    },
  };
}

export interface Tenant {
  t: TestContext;
  portalId: number;
  client(opts?: { limiter?: RateLimiter; retry?: Partial<RetryPolicy>; operating?: OperatingOptions }): B24Client;
  close(): Promise<void>;
}

/** A DealerHub instance (own context) whose tenant store holds the portal; pass `databaseUrl` to share a database. */
export async function createTenant(app: AppOnPortal, opts: { databaseUrl?: string; limiter?: RateLimiter; register?: boolean } = {}): Promise<Tenant> {
  const t = await createTestContext({
    APP_CLIENT_ID: app.clientId,
    APP_CLIENT_SECRET: app.clientSecret,
    B24_OAUTH_SERVERS: app.sandbox.serverEndpoint,
    LOG_LEVEL: 'debug',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
  });
  let portalId: number;
  const existing = await t.ctx.portals.findByMemberId(app.sandbox.memberId);
  if (existing && opts.register === false) portalId = existing.id;
  else {
    const { portal } = await t.ctx.portals.upsertInstalled({
      memberId: app.sandbox.memberId,
      domain: app.sandbox.domain,
      protocol: 'http',
      clientEndpoint: app.sandbox.clientEndpoint,
      serverEndpoint: app.sandbox.serverEndpoint,
      scope: ['crm', 'user', 'placement', 'bizproc', 'im'],
      applicationToken: app.applicationToken,
      tokens: { accessToken: app.accessToken, refreshToken: app.refreshToken, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    portalId = portal.id;
  }
  const limiter = opts.limiter ?? createMemoryRateLimiter({ burst: 50, drainPerSecond: 2 });
  return {
    t,
    portalId,
    client: (o = {}) =>
      createPortalClient({
        portals: t.ctx.portals,
        config: t.ctx.config,
        logger: t.ctx.logger,
        limiter: o.limiter ?? limiter,
        portalId,
        retry: { baseDelayMs: 50, maxDelayMs: 1_000, ...o.retry },
        operating: o.operating,
      }),
    close: () => t.close(),
  };
}

/** A Redis limiter on its own connection under a unique key prefix (one per simulated app instance). */
export function redisLimiter(keyPrefix: string, limit: { burst: number; drainPerSecond: number }): RateLimiter & { close(): Promise<void> } {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const limiter = createRedisRateLimiter({ redis, keyPrefix, ownsConnection: true, ...limit });
  return limiter as RateLimiter & { close(): Promise<void> };
}

export const uniquePrefix = () => `test:${randomBytes(6).toString('hex')}:`;

/** Access tokens the sandbox's OAuth server has issued so far: every refresh issues exactly one. */
export const issuedAccessTokens = (sandbox: SandboxPortal) => sandbox.store.accessTokens.all().length;
