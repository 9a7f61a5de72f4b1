import type { AppConfig } from './config.js';
import { createDatabase, tuneSqlite, type Database } from './db/database.js';
import { migrateUp } from './db/migrate.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createAuditRepository, type AuditRepository } from './modules/audit/index.js';
import { createPortalsRepository, type PortalsRepository } from './modules/portals/portals.repository.js';
import type { Portal } from './modules/portals/portals.repository.js';
import type { AppEventListener } from './modules/portals/handle-app-event.js';
import { createB24Clients, type B24Clients } from './bitrix24/index.js';
import { createJobQueue, type JobQueue } from './jobs/index.js';
import { createDealersRepository, type DealersRepository } from './modules/dealers/index.js';

/** Things other domains plug into the app lifecycle (the installer reconciles on install/update, etc.). */
export interface LifecycleHooks {
  portalInstalled: Array<(portal: Portal) => Promise<void> | void>;
  appUpdated: Array<(portal: Portal, version: number | null) => Promise<void> | void>;
  portalUninstalled: Array<(portal: Portal, clean: boolean) => Promise<void> | void>;
  /** Listeners for other Bitrix24 events by upper-case name (ONCRMDYNAMICITEMUPDATE …); they only enqueue work. */
  appEvent: Map<string, AppEventListener[]>;
}

/**
 * Everything a request handler or job may use, built once at start (or per test). Services take what they need from
 * here, so tests can pass their own pieces (STYLE.md §1, DESIGN.md §3).
 */
export interface AppContext {
  config: AppConfig;
  logger: Logger;
  db: Database;
  portals: PortalsRepository;
  audit: AuditRepository;
  dealers: DealersRepository;
  /** Bitrix24 REST clients: per portal (stored app tokens) or per webhook, all paced by one shared limiter. */
  b24: B24Clients;
  /** The durable job queue every handler Bitrix24 calls works from (robots, events, sync, notifications). */
  jobs: JobQueue;
  hooks: LifecycleHooks;
  /** Callbacks run on graceful shutdown, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}

export interface CreateContextOptions {
  logger?: Logger;
  migrate?: boolean;
  /** Prefix for Redis keys (rate limiter, refresh locks), so parallel tests never share buckets. */
  redisKeyPrefix?: string;
}

export async function createContext(config: AppConfig, options: CreateContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = createDatabase({ url: config.databaseUrl, poolMax: config.databasePoolMax, logger });
  await tuneSqlite(db);
  if (options.migrate !== false) await migrateUp(db);
  const portals = createPortalsRepository(db.sequelize, config.app.secretKey);
  const ctx: AppContext = {
    config,
    logger,
    db,
    portals,
    audit: createAuditRepository(db.sequelize),
    dealers: createDealersRepository(db.sequelize),
    b24: createB24Clients({ config, logger, portals, keyPrefix: options.redisKeyPrefix }),
    jobs: createJobQueue({ db, logger, redis: config.redisUrl }),
    hooks: { portalInstalled: [], appUpdated: [], portalUninstalled: [], appEvent: new Map() },
    onClose: [],
  };
  ctx.onClose.push(() => ctx.b24.close(), () => ctx.jobs.stop());
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  for (const fn of [...ctx.onClose].reverse()) {
    try {
      await fn();
    } catch (err) {
      ctx.logger.warn({ err }, 'close callback failed');
    }
  }
  await ctx.db.close();
}
