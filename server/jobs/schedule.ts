import cron from 'node-cron';
import type { Logger } from '../lib/logger.js';
import type { Portal } from '../modules/portals/index.js';
import type { EnqueueResult } from './job.types.js';
import type { JobQueue } from './job-queue.js';

/**
 * Scheduled jobs as data (STYLE.md §6). node-cron only ENQUEUES: every instance fires the same cron, each enqueues
 * with the dedup key `${name}:${portalId}:${slot}`, the unique index keeps one job per slot, and whichever worker
 * claims it runs it. No instance is special, so N instances run each scheduled job once per slot.
 */
export interface ScheduleDefinition<P = unknown> {
  /** Stable name; part of the dedup key, so renaming one re-runs the current slot once. */
  name: string;
  /** node-cron expression (5 fields, or 6 with seconds). */
  cron: string;
  kind: string;
  /** Payload per portal; null skips that portal (e.g. no ERP configured). Global definitions get portal null. */
  payload(portal: Portal | null): P | null;
  /** false: one job per slot for the whole installation (portal_id null). Default true: one per installed portal. */
  perPortal?: boolean;
  maxAttempts?: number;
}

/** The slot a cron firing belongs to: its scheduled time cut to the minute (to the second for 6-field expressions). */
export function slotOf(definition: Pick<ScheduleDefinition, 'cron'>, firedAt: Date): string {
  const withSeconds = definition.cron.trim().split(/\s+/).length === 6;
  return firedAt.toISOString().slice(0, withSeconds ? 19 : 16);
}

export function scheduleDedupKey(name: string, portalId: number | null, slot: string): string {
  return `${name}:${portalId ?? '-'}:${slot}`;
}

/** Enqueues one definition's jobs for one slot: one per installed portal (or one global). */
export async function enqueueScheduled(
  queue: Pick<JobQueue, 'enqueue'>,
  definition: ScheduleDefinition,
  portals: Portal[],
  firedAt: Date,
): Promise<EnqueueResult[]> {
  const slot = slotOf(definition, firedAt);
  const targets: Array<Portal | null> = definition.perPortal === false ? [null] : portals.filter((p) => p.status === 'installed');
  const results: EnqueueResult[] = [];
  for (const portal of targets) {
    const payload = definition.payload(portal);
    if (payload === null) continue;
    results.push(
      await queue.enqueue({
        kind: definition.kind,
        payload,
        portalId: portal?.id ?? null,
        dedupKey: scheduleDedupKey(definition.name, portal?.id ?? null, slot),
        maxAttempts: definition.maxAttempts,
      }),
    );
  }
  return results;
}

export interface SchedulerOptions {
  queue: Pick<JobQueue, 'enqueue'>;
  definitions: ScheduleDefinition[];
  listPortals: () => Promise<Portal[]>;
  logger: Logger;
  timezone?: string;
}

export function validateSchedule(definitions: ScheduleDefinition[]): void {
  const names = new Set<string>();
  for (const d of definitions) {
    if (names.has(d.name)) throw new Error(`schedule "${d.name}" is defined twice`);
    names.add(d.name);
    if (!cron.validate(d.cron)) throw new Error(`schedule "${d.name}" has an invalid cron expression "${d.cron}"`);
  }
}

/** Starts one node-cron task per definition; returns a stop function for graceful shutdown. */
export function startScheduler({ queue, definitions, listPortals, logger, timezone }: SchedulerOptions): { stop(): Promise<void> } {
  validateSchedule(definitions);
  const tasks = definitions.map((definition) =>
    cron.schedule(
      definition.cron,
      async (context) => {
        try {
          const portals = definition.perPortal === false ? [] : await listPortals();
          const results = await enqueueScheduled(queue, definition, portals, context.date);
          logger.debug({ schedule: definition.name, enqueued: results.filter((r) => r.created).length }, 'scheduled jobs enqueued');
        } catch (err) {
          logger.error({ err, schedule: definition.name }, 'could not enqueue scheduled jobs');
        }
      },
      { name: `dealerhub:${definition.name}`, timezone, noOverlap: true },
    ),
  );
  logger.info({ schedules: definitions.map((d) => `${d.name} (${d.cron})`) }, 'scheduler started');
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
