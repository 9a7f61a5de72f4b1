/**
 * A DealerHub worker process for the fault tests: the job queue with the ERP sync handlers, delivering the outbox to
 * the 1C OData emulator. Started with `node --import tsx tests/fault/support/outbox-worker.ts` so that SIGKILL hits
 * the process that holds the leases (the tsx CLI would put a wrapper process in between).
 *
 * Env: DATABASE_URL, ONEC_URL (…/odata/standard.odata), WORKER_ID, LEASE_MS, CONCURRENCY.
 * Prints "ready" on stdout once it is claiming jobs.
 */
import { createDatabase } from '../../../server/db/database.js';
import { createOnecOdataConnector } from '../../../server/erp/onec-odata/index.js';
import { createErpSync } from '../../../server/erp/sync/index.js';
import { createJobQueue } from '../../../server/jobs/index.js';
import { createLogger } from '../../../server/lib/logger.js';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};

const logger = createLogger(env('LOG_LEVEL', 'warn'));
const db = createDatabase({ url: env('DATABASE_URL'), poolMax: 12 });
const leaseMs = Number(env('LEASE_MS', '1500'));
const concurrency = Number(env('CONCURRENCY', '16'));
const connector = createOnecOdataConnector({ baseUrl: env('ONEC_URL'), user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', timeoutMs: Number(env('ERP_TIMEOUT_MS', '2000')), concurrency });
// Short backoff so a 1,000-order run with an outage fits in a test; the logic (caps, jitter, Retry-After) is unchanged.
const queue = createJobQueue({ db, logger, workerId: env('WORKER_ID'), leaseMs, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0.5 } });
const sync = createErpSync({
  db,
  logger,
  queue,
  connectorFor: () => connector,
  // Settle: longer than any create the test lets the ERP sit on (8 s).
  options: { outboxBackoff: { baseMs: 100, maxMs: 1_000, jitter: 0.5 }, outboxMaxAttempts: 40, outboxConcurrency: concurrency, outboxSettleMs: Number(env('SETTLE_MS', '10000')) },
});
sync.registerJobs();
await queue.startWorkers({ concurrency, pollMs: 50 });
process.stdout.write('ready\n');

const stop = async () => {
  await queue.stop({ graceMs: 2_000 });
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
