import type { AppConfig } from './config.js';
import { createDatabase, tuneSqlite, type Database } from './db/database.js';
import { migrateUp } from './db/migrate.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createAuditRepository, type AuditRepository } from './modules/audit/index.js';
import { createPortalsRepository, type PortalsRepository } from './modules/portals/portals.repository.js';
import type { Portal } from './modules/portals/portals.repository.js';
import type { AppEventListener } from './modules/portals/handle-app-event.js';

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
  hooks: LifecycleHooks;
  /** Callbacks run on graceful shutdown, last registered first. */
  onClose: Array<() => Promise<void> | void>;
}

export interface CreateContextOptions {
  logger?: Logger;
  migrate?: boolean;
}

export async function createContext(config: AppConfig, options: CreateContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = createDatabase({ url: config.databaseUrl, poolMax: config.databasePoolMax, logger });
  await tuneSqlite(db);
  if (options.migrate !== false) await migrateUp(db);
  const ctx: AppContext = {
    config,
    logger,
    db,
    portals: createPortalsRepository(db.sequelize, config.app.secretKey),
    audit: createAuditRepository(db.sequelize),
    hooks: { portalInstalled: [], appUpdated: [], portalUninstalled: [], appEvent: new Map() },
    onClose: [],
  };
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
