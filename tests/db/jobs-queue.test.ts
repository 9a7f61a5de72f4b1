import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, tuneSqlite, type Database } from '../../server/db/database.js';
import { migrateUp } from '../../server/db/migrate.js';
import { createJobQueue, enqueueScheduled, PermanentJobError, RetryJobError, type JobQueue, type JobQueueOptions } from '../../server/jobs/index.js';
import { sqlTime } from '../../server/jobs/sql.js';
import { createLogger } from '../../server/lib/logger.js';
import type { Portal } from '../../server/modules/portals/index.js';
import { STORAGE_BACKENDS, type TestDatabase } from '../support/databases.js';

const logger = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, stepMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(stepMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

let seq = 0;
const kind = (name: string) => `test.${name}.${++seq}`;

describe.each(STORAGE_BACKENDS)('job queue on $name', ({ name, create }) => {
  let testDb: TestDatabase;
  let db: Database;
  /** A second connection pool on the same database: a separate "instance" (SQLite memory has only one connection). */
  let db2: Database;
  const queues: JobQueue[] = [];
  const newQueue = (opts: Partial<JobQueueOptions> = {}, on: Database = db) => {
    const q = createJobQueue({ db: on, logger, leaseMs: 2_000, backoff: { baseMs: 20, maxMs: 200, jitter: 0.5 }, ...opts });
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    testDb = await create();
    db = createDatabase({ url: testDb.url });
    await tuneSqlite(db);
    await migrateUp(db);
    db2 = name === 'sqlite' ? db : createDatabase({ url: testDb.url });
  });
  afterAll(async () => {
    for (const q of queues) await q.stop({ graceMs: 100 });
    if (db2 !== db) await db2.close();
    await db.close();
    await testDb.drop();
  });

  it('when the same dedup key is enqueued twice (even concurrently), then one job exists and both calls return its id', async () => {
    const q = newQueue();
    const k = kind('dedup');
    const [a, b] = await Promise.all([q.enqueue({ kind: k, payload: { n: 1 }, dedupKey: 'evt-1' }), newQueue({}, db2).enqueue({ kind: k, payload: { n: 2 }, dedupKey: 'evt-1' })]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.id).toBe(b.id);
    const again = await q.enqueue({ kind: k, payload: { n: 3 }, dedupKey: 'evt-1' });
    expect(again).toEqual({ id: a.id, created: false });
    const other = await q.enqueue({ kind: k, payload: { n: 4 }, dedupKey: 'evt-2' });
    expect(other.created).toBe(true);
    const { items, total } = await q.list({ kind: k });
    expect(total).toBe(2);
    expect(items.find((j) => j.id === a.id)?.payload).toEqual(a.created ? { n: 1 } : { n: 2 });
    // The same key under another kind is a different job.
    expect((await q.enqueue({ kind: kind('dedup-other'), payload: {}, dedupKey: 'evt-1' })).created).toBe(true);
  });

  it.each(['auto', 'optimistic'] as const)('when two queue instances work one database (%s claims), then every job runs exactly once', async (claimStrategy) => {
    const k = kind('once');
    const runs = new Map<number, string[]>();
    const handler = (who: string) => async (job: { id: number }) => {
      runs.set(job.id, [...(runs.get(job.id) ?? []), who]);
      await sleep(2);
      return { by: who };
    };
    const a = newQueue({ workerId: 'instance-a', claimStrategy });
    const b = newQueue({ workerId: 'instance-b', claimStrategy }, db2);
    a.registerHandler(k, handler('a'));
    b.registerHandler(k, handler('b'));
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((await a.enqueue({ kind: k, payload: { i } })).id);
    await Promise.all([a.startWorkers({ concurrency: 4, pollMs: 10 }), b.startWorkers({ concurrency: 4, pollMs: 10 })]);
    await waitFor(async () => (await a.counts({ kinds: [k] })).done === ids.length, 30_000);
    await Promise.all([a.stop(), b.stop()]);
    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids);
    expect([...runs.values()].filter((r) => r.length !== 1)).toEqual([]);
    const byWorker = [...runs.values()].flat();
    expect(byWorker.filter((w) => w === 'a').length + byWorker.filter((w) => w === 'b').length).toBe(ids.length);
    const done = await a.get(ids[0]!);
    expect(done?.status).toBe('done');
    expect(done?.attempts).toBe(1);
    expect(done?.result).toEqual({ by: runs.get(ids[0]!)![0] });
  });

  it('when a worker dies holding a lease, then after expiry another instance reclaims and runs the job as a new attempt', async () => {
    const k = kind('reclaim');
    const q = newQueue({ workerId: 'survivor' });
    let ran = 0;
    q.registerHandler(k, async () => ++ran);
    const { id } = await q.enqueue({ kind: k, payload: {} });
    // What a crashed worker leaves behind: running, attempt counted, lease already over.
    const past = sqlTime(new Date(Date.now() - 1_000), db.dialect);
    await db.sequelize.query(`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'crashed-worker', locked_until = '${past}' WHERE id = ${id}`);
    expect((await q.runOnce()).claimed).toBe(0);
    const reaped = await q.get(id);
    expect(reaped?.status).toBe('failed');
    expect(reaped?.lastError).toMatch(/lease expired/);
    await sleep(60);
    expect((await q.runOnce()).done).toBe(1);
    const job = await q.get(id);
    expect(job).toMatchObject({ status: 'done', attempts: 2, lockedBy: null });
    expect(ran).toBe(1);
  });

  it('when a worker loses its lease mid-run, then its handler is aborted and its late result is not recorded', async () => {
    const k = kind('lease-lost');
    const q = newQueue({ workerId: 'slow', leaseMs: 150 });
    let sawAbort = false;
    q.registerHandler(k, async (_job, { signal }) => {
      await waitFor(() => signal.aborted, 5_000, 10).catch(() => undefined);
      sawAbort = signal.aborted;
      return 'late';
    });
    const { id } = await q.enqueue({ kind: k, payload: {} });
    const running = q.runOnce();
    await waitFor(async () => (await q.get(id))?.status === 'running');
    // Another instance took it over (as after a partition): the fence is locked_by + attempts.
    await db.sequelize.query(`UPDATE jobs SET locked_by = 'other-instance', attempts = attempts + 1 WHERE id = ${id}`);
    const summary = await running;
    expect(sawAbort).toBe(true);
    expect(summary.lost).toBe(1);
    const job = await q.get(id);
    expect(job?.lockedBy).toBe('other-instance');
    expect(job?.result).toBeNull();
  });

  it('when a handler fails, then the job backs off exponentially with jitter and then succeeds', async () => {
    const k = kind('backoff');
    const q = newQueue({ backoff: { baseMs: 100, maxMs: 10_000, jitter: 0.5 } });
    let calls = 0;
    q.registerHandler(k, async () => {
      calls++;
      if (calls < 3) throw new Error(`flaky ${calls}`);
      return 'ok';
    });
    const { id } = await q.enqueue({ kind: k, payload: {}, maxAttempts: 5 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = Date.now();
      expect((await q.runOnce()).failed).toBe(1);
      const job = (await q.get(id))!;
      expect(job.status).toBe('failed');
      expect(job.attempts).toBe(attempt);
      expect(job.lastError).toBe(`flaky ${attempt}`);
      delays.push(job.runAt.getTime() - before);
      expect((await q.runOnce()).claimed).toBe(0); // not before its run_at
      await sleep(job.runAt.getTime() - Date.now() + 5);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(50 - 5);
    expect(delays[0]).toBeLessThanOrEqual(100 + 50);
    expect(delays[1]).toBeGreaterThanOrEqual(100 - 5);
    expect(delays[1]).toBeLessThanOrEqual(200 + 50);
    expect((await q.runOnce()).done).toBe(1);
    expect((await q.get(id))?.status).toBe('done');
  });

  it('when a handler asks for a specific delay (Retry-After), then the retry waits at least that long', async () => {
    const k = kind('retry-after');
    const q = newQueue();
    q.registerHandler(k, async () => {
      throw new RetryJobError('rate limited', 5_000);
    });
    const { id } = await q.enqueue({ kind: k, payload: {} });
    const before = Date.now();
    await q.runOnce();
    const job = (await q.get(id))!;
    expect(job.status).toBe('failed');
    expect(job.runAt.getTime() - before).toBeGreaterThanOrEqual(4_900);
  });

  it('when attempts run out or the error is permanent, then the job is dead with its error, and requeue brings it back', async () => {
    const k = kind('dead');
    const q = newQueue();
    let healthy = false;
    q.registerHandler(k, async (job: { payload: { permanent?: boolean } }) => {
      if (healthy) return 'fixed';
      if (job.payload.permanent) throw new PermanentJobError('bad payload: no customer');
      throw Object.assign(new Error('ERP says no'), { retryable: true });
    });
    const exhausted = await q.enqueue({ kind: k, payload: {}, maxAttempts: 3 });
    const permanent = await q.enqueue({ kind: k, payload: { permanent: true }, maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await q.runOnce();
      await sleep(60);
    }
    expect(await q.get(exhausted.id)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'ERP says no' });
    expect(await q.get(permanent.id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'PermanentJobError: bad payload: no customer' });
    expect((await q.list({ status: 'dead', kind: k })).total).toBe(2);

    healthy = true;
    const requeued = await q.requeue(exhausted.id);
    expect(requeued.outcome).toBe('requeued');
    expect(requeued.job).toMatchObject({ status: 'queued', attempts: 0 });
    await q.drain();
    expect(await q.get(exhausted.id)).toMatchObject({ status: 'done', attempts: 1, result: 'fixed' });
    expect((await q.requeue(exhausted.id)).outcome).toBe('not-requeueable');
    expect((await q.requeue(99_999_999)).outcome).toBe('not-found');
    expect((await q.requeue(permanent.id, { portalId: 12345 })).outcome).toBe('not-found');
  });

  it('when a job is enqueued in a transaction, then it exists only if the transaction commits', async () => {
    const k = kind('tx');
    const q = newQueue();
    await expect(
      db.sequelize.transaction(async (transaction) => {
        await q.enqueueInTransaction(transaction, { kind: k, payload: { order: 1 }, dedupKey: 'order-1' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect((await q.list({ kind: k })).total).toBe(0);
    const committed = await db.sequelize.transaction((transaction) => q.enqueueInTransaction(transaction, { kind: k, payload: { order: 1 }, dedupKey: 'order-1', portalId: 5 }));
    expect(committed.created).toBe(true);
    const again = await db.sequelize.transaction((transaction) => q.enqueueInTransaction(transaction, { kind: k, payload: { order: 1 }, dedupKey: 'order-1', portalId: 5 }));
    expect(again).toEqual({ id: committed.id, created: false });
    expect((await q.list({ kind: k, portalId: 5 })).items.map((j) => j.id)).toEqual([committed.id]);
  });

  it('when stop() is called, then in-flight jobs finish, nothing new is claimed, and past the grace period jobs are released', async () => {
    const k = kind('stop');
    const q = newQueue();
    let finished = 0;
    q.registerHandler(k, async (job: { payload: { hang?: boolean } }, { signal }) => {
      if (job.payload.hang) {
        await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }
      await sleep(200);
      finished++;
    });
    const first = await q.enqueue({ kind: k, payload: {} });
    await q.startWorkers({ concurrency: 2, pollMs: 10 });
    await waitFor(async () => (await q.get(first.id))?.status === 'running');
    await q.stop();
    expect(finished).toBe(1);
    expect((await q.get(first.id))?.status).toBe('done');
    const later = await q.enqueue({ kind: k, payload: {} });
    await sleep(100);
    expect((await q.get(later.id))?.status).toBe('queued');

    const q2 = newQueue();
    q2.registerHandler(k, async (_job, { signal }) => {
      await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    await q2.startWorkers({ concurrency: 2, pollMs: 10 });
    await waitFor(async () => (await q2.get(later.id))?.status === 'running');
    const started = Date.now();
    await q2.stop({ graceMs: 100 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await q2.get(later.id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('when a kind has a concurrency limit, then one instance never runs more of it at once', async () => {
    const k = kind('limited');
    const q = newQueue();
    let now = 0;
    let peak = 0;
    q.registerHandler(
      k,
      async () => {
        peak = Math.max(peak, ++now);
        await sleep(20);
        now--;
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 12; i++) await q.enqueue({ kind: k, payload: { i } });
    await q.startWorkers({ concurrency: 6, pollMs: 10 });
    await waitFor(async () => (await q.counts({ kinds: [k] })).done === 12);
    await q.stop();
    expect(peak).toBe(2);
  });

  it('when a handler exceeds its timeout, then its signal aborts and the attempt fails', async () => {
    const k = kind('timeout');
    const q = newQueue();
    q.registerHandler(k, (_job, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))), { timeoutMs: 50 });
    const { id } = await q.enqueue({ kind: k, payload: {} });
    await q.runOnce();
    expect(await q.get(id)).toMatchObject({ status: 'failed', lastError: 'timed out after 50 ms' });
  });

  it('when two instances fire the same cron slot, then one job per portal and slot is enqueued', async () => {
    const k = kind('cron');
    const def = { name: `sync-${k}`, cron: '*/5 * * * *', kind: k, payload: (p: Portal | null) => ({ portalId: p?.id }) };
    const portals = [{ id: 1, status: 'installed' }, { id: 2, status: 'installed' }] as Portal[];
    const [a, b] = await Promise.all([
      enqueueScheduled(newQueue(), def, portals, new Date('2026-11-23T10:05:00.003Z')),
      enqueueScheduled(newQueue({}, db2), def, portals, new Date('2026-11-23T10:05:00.910Z')),
    ]);
    expect([...a, ...b].filter((r) => r.created)).toHaveLength(2);
    const { items } = await newQueue().list({ kind: k });
    expect(items.map((j) => j.dedupKey).sort()).toEqual([`${def.name}:1:2026-11-23T10:05`, `${def.name}:2:2026-11-23T10:05`]);
  });

  it('when old done jobs are purged, then their dedup keys are free again and other jobs stay', async () => {
    const k = kind('purge');
    const q = newQueue();
    q.registerHandler(k, async () => 'ok');
    await q.enqueue({ kind: k, payload: {}, dedupKey: 'once' });
    const pending = await q.enqueue({ kind: k, payload: {}, dedupKey: 'later', runAt: new Date(Date.now() + 60_000) });
    await q.drain();
    await sleep(20);
    expect(await q.purge(10)).toBeGreaterThanOrEqual(1);
    expect((await q.get(pending.id))?.status).toBe('queued');
    expect((await q.enqueue({ kind: k, payload: {}, dedupKey: 'once' })).created).toBe(true);
  });
});

describe('job queue wake-ups through Redis', () => {
  it('when another instance enqueues, then an idle worker with a long poll interval picks the job up at once', async () => {
    const testDb = await STORAGE_BACKENDS[1]!.create();
    const dbA = createDatabase({ url: testDb.url });
    await migrateUp(dbA);
    const dbB = createDatabase({ url: testDb.url });
    const redis = 'redis://127.0.0.1:6379';
    const worker = createJobQueue({ db: dbA, logger, redis });
    const producer = createJobQueue({ db: dbB, logger, redis });
    try {
      let ranAt = 0;
      worker.registerHandler('test.wake', async () => void (ranAt = Date.now()));
      await worker.startWorkers({ concurrency: 1, pollMs: 20_000 });
      await sleep(300); // the first poll is over; now the worker sleeps for 20 s unless woken
      const enqueuedAt = Date.now();
      await producer.enqueue({ kind: 'test.wake', payload: {} });
      await waitFor(() => ranAt > 0, 5_000);
      expect(ranAt - enqueuedAt).toBeLessThan(2_000);
    } finally {
      await worker.stop();
      await producer.stop();
      await dbA.close();
      await dbB.close();
      await testDb.drop();
    }
  });
});

describe('scheduler on two instances', () => {
  it('when two instances run the same every-second schedule, then each slot gets one job per installed portal', async () => {
    const testDb = await STORAGE_BACKENDS[1]!.create();
    const dbA = createDatabase({ url: testDb.url });
    await migrateUp(dbA);
    const dbB = createDatabase({ url: testDb.url });
    const { startScheduler } = await import('../../server/jobs/index.js');
    const portals = [{ id: 1, status: 'installed' }, { id: 2, status: 'installed' }, { id: 3, status: 'uninstalled' }] as Portal[];
    const definitions = [{ name: 'tick', cron: '* * * * * *', kind: 'test.tick', payload: (p: Portal | null) => ({ portalId: p?.id }) }];
    const a = startScheduler({ queue: createJobQueue({ db: dbA, logger }), definitions, listPortals: async () => portals, logger });
    const b = startScheduler({ queue: createJobQueue({ db: dbB, logger }), definitions, listPortals: async () => portals, logger });
    try {
      await sleep(3_300);
    } finally {
      await a.stop();
      await b.stop();
    }
    const { items } = await createJobQueue({ db: dbA, logger }).list({ kind: 'test.tick', limit: 500 });
    const slots = new Map<string, number[]>();
    for (const job of items) {
      const slot = job.dedupKey!.split(':').slice(2).join(':');
      slots.set(slot, [...(slots.get(slot) ?? []), job.portalId!]);
    }
    expect(slots.size).toBeGreaterThanOrEqual(2);
    for (const [slot, ids] of slots) expect(ids.sort(), slot).toEqual([1, 2]);
    await dbA.close();
    await dbB.close();
    await testDb.drop();
  });
});
