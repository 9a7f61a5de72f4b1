import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../../server/db/database.js';
import { migrateUp } from '../../../server/db/migrate.js';
import { ErpError, type SubmitOrder } from '../../../server/erp/port.js';
import { createOutboxRepository, deliverOutbox, enqueueOutbox } from '../../../server/erp/sync/index.js';
import { createJobQueue, RetryJobError, type JobQueue } from '../../../server/jobs/index.js';
import { withTransaction } from '../../../server/jobs/sql.js';
import { createLogger } from '../../../server/lib/logger.js';
import { createMemoryErpConnector } from './memory-erp-connector.js';

const logger = createLogger('silent');
const order = (externalId: string, post = true): SubmitOrder => ({
  externalId,
  number: `DH-${externalId}`,
  currency: 'RUB',
  post,
  customerRef: { erpId: 'c-1' },
  lines: [{ productRef: { erpId: 'p-1' }, qty: '2', price: '10.50' }],
});

describe('outbox delivery state machine (in-memory ERP)', () => {
  let db: Database;
  let queue: JobQueue;
  let erp: ReturnType<typeof createMemoryErpConnector>;
  let clock: number;
  const deps = () => ({ db, logger, connectorFor: () => erp.connector, options: { outboxBackoff: { baseMs: 1_000, maxMs: 60_000, jitter: 0 }, outboxSettleMs: 45_000 }, now: () => new Date(clock) });

  async function add(externalId: string, post = true, maxAttempts?: number) {
    return withTransaction(db, (t) => enqueueOutbox(t, { portalId: 1, aggregate: 'order', aggregateId: `b24-${externalId}`, externalId, payload: order(externalId, post), maxAttempts }, { db, queue, now: () => new Date(clock) }));
  }
  const row = (id: number) => createOutboxRepository(db).get(id);

  beforeEach(async () => {
    db = createDatabase({ url: 'sqlite::memory:' });
    await migrateUp(db);
    queue = createJobQueue({ db, logger });
    erp = createMemoryErpConnector();
    clock = Date.parse('2026-11-23T10:00:00Z');
  });
  afterEach(() => db.close());

  it('when an order is enqueued, then its delivery job is in the same transaction and a rollback leaves neither', async () => {
    await expect(
      withTransaction(db, async (t) => {
        await enqueueOutbox(t, { portalId: 1, aggregate: 'order', aggregateId: 'x', externalId: 'rolled-back', payload: order('rolled-back') }, { db, queue });
        throw new Error('order rejected');
      }),
    ).rejects.toThrow('order rejected');
    expect((await createOutboxRepository(db).list({ portalId: 1 })).total).toBe(0);
    expect((await queue.list({ kind: 'erp.outbox.deliver' })).total).toBe(0);
    const { id } = await add('kept');
    const item = await row(id);
    expect(await queue.get(item!.jobId!)).toMatchObject({ kind: 'erp.outbox.deliver', payload: { outboxId: id, generation: 0 }, status: 'queued' });
  });

  it('when all goes well, then it is created, then posted, in two calls', async () => {
    const { id } = await add('o-1');
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.calls).toEqual(['submit:o-1:post=false', `post:${erp.orders.get('o-1')!.ref}`]);
    expect(await row(id)).toMatchObject({ state: 'posted', attempts: 1, erpRef: erp.orders.get('o-1')!.ref, erpNumber: 'ЗК-1' });
  });

  it('when the create succeeds but its answer is lost, then the retry finds the document and only posts it', async () => {
    const { id } = await add('o-2');
    erp.fail({ on: 'submit', error: new ErpError('transient', 'socket hang up'), afterEffect: true });
    await expect(deliverOutbox(deps(), id)).rejects.toBeInstanceOf(RetryJobError);
    expect(await row(id)).toMatchObject({ state: 'failed', attempts: 1, erpRef: null, lastErrorKind: 'transient' });
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.orders.get('o-2')).toMatchObject({ copies: 1, posted: true });
    expect(erp.calls.filter((c) => c.startsWith('submit'))).toHaveLength(1);
    expect(erp.calls[1]).toBe('find:o-2');
  });

  it('when a create fails with an unknown outcome, then the retry waits the settle time so the lost request has finished first', async () => {
    const { id } = await add('o-2b');
    erp.fail({ on: 'submit', error: new ErpError('transient', 'timeout of 2000ms exceeded'), afterEffect: true });
    const err = (await deliverOutbox(deps(), id).catch((e: unknown) => e)) as RetryJobError;
    expect(err).toBeInstanceOf(RetryJobError);
    expect(err.delayMs).toBe(45_000);
    expect((await row(id))!.nextAttemptAt.getTime() - clock).toBe(45_000);
  });

  it('when a worker died while its create was on the wire, then the next worker waits for it to settle before looking', async () => {
    const { id } = await add('o-2c');
    // What the dead worker left: the attempt counted and the in-flight marker with its settle deadline.
    await createOutboxRepository(db).update(id, { attempts: 1, lastErrorKind: 'in-flight', nextAttemptAt: new Date(clock + 45_000) }, new Date(clock));
    const early = (await deliverOutbox(deps(), id).catch((e: unknown) => e)) as RetryJobError;
    expect(early).toBeInstanceOf(RetryJobError);
    expect(early.delayMs).toBe(45_000);
    expect(erp.calls).toEqual([]);
    expect((await row(id))!.attempts).toBe(1);
    clock += 45_001;
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.calls[0]).toBe('find:o-2c');
  });

  it('when posting fails transiently, then the row stays created and the retry posts without creating again', async () => {
    const { id } = await add('o-3');
    erp.fail({ on: 'post', error: new ErpError('transient', '503') });
    await expect(deliverOutbox(deps(), id)).rejects.toBeInstanceOf(RetryJobError);
    expect(await row(id)).toMatchObject({ state: 'created', erpRef: erp.orders.get('o-3')!.ref });
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.orders.get('o-3')!.copies).toBe(1);
    expect(erp.calls.filter((c) => c.startsWith('submit'))).toHaveLength(1);
  });

  it('when the ERP lost a document we created, then the retry creates it again rather than posting nothing', async () => {
    const { id } = await add('o-4');
    erp.fail({ on: 'post', error: new ErpError('transient', 'timeout') });
    await expect(deliverOutbox(deps(), id)).rejects.toBeInstanceOf(RetryJobError);
    erp.remove('o-4');
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.calls.filter((c) => c.startsWith('submit'))).toHaveLength(2);
    expect(erp.orders.get('o-4')).toMatchObject({ posted: true, copies: 1 });
  });

  it('when the ERP is rate-limited, then the next attempt waits at least Retry-After; backoff grows and is capped', async () => {
    const { id } = await add('o-5');
    erp.fail({ on: 'submit', error: new ErpError('rate-limited', '429', { retryAfterMs: 30_000 }) });
    const err = await deliverOutbox(deps(), id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryJobError);
    expect((err as RetryJobError).delayMs).toBe(30_000);
    expect((await row(id))!.nextAttemptAt.getTime() - clock).toBe(30_000);
    erp.fail({ on: 'find', error: new ErpError('transient', 'down') });
    const second = (await deliverOutbox(deps(), id).catch((e: unknown) => e)) as RetryJobError;
    expect(second.delayMs).toBe(2_000);
  });

  it('when the ERP refuses with a validation error, then the row is dead at once with the ERP message', async () => {
    const { id } = await add('o-6');
    erp.fail({ on: 'submit', error: new ErpError('validation', 'Превышен кредитный лимит контрагента') });
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'dead' });
    expect(await row(id)).toMatchObject({ state: 'dead', lastErrorKind: 'validation', lastError: 'Превышен кредитный лимит контрагента', attempts: 1 });
    // A dead row is final for the worker: another delivery does nothing.
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'dead', note: 'already final' });
    expect(erp.calls.filter((c) => c.startsWith('submit'))).toHaveLength(1);
  });

  it('when transient errors outlast the attempts, then the row is dead with "gave up after"', async () => {
    const { id } = await add('o-7', true, 2);
    erp.fail({ on: 'submit', error: new ErpError('transient', 'down') });
    await expect(deliverOutbox(deps(), id)).rejects.toBeInstanceOf(RetryJobError);
    erp.fail({ on: 'find', error: new ErpError('transient', 'still down') });
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'dead' });
    expect((await row(id))!.lastError).toBe('gave up after 2 attempts: still down');
  });

  it('when an order is not to be posted, or a newer delivery job exists, then the machine stops where it should', async () => {
    const { id } = await add('o-8', false);
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'created' });
    expect(erp.calls).toEqual(['submit:o-8:post=false']);
    expect((await row(id))!.deliveredAt).not.toBeNull();
    const { id: other } = await add('o-9');
    expect(await deliverOutbox(deps(), other, undefined, 7)).toMatchObject({ note: 'superseded by a newer delivery job' });
    expect(erp.orders.has('o-9')).toBe(false);
  });

  it('when the ERP cannot post separately, then one submit with post=true finishes the order', async () => {
    erp = createMemoryErpConnector({ postOrder: false });
    const { id } = await add('o-10');
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'posted' });
    expect(erp.calls).toEqual(['submit:o-10:post=true']);
  });

  it('when a claim goes to an ERP without claims, then it is dead as unsupported', async () => {
    const { id } = await withTransaction(db, (t) =>
      enqueueOutbox(t, { portalId: 1, aggregate: 'claim', aggregateId: 'cl-1', externalId: 'cl-1', payload: { externalId: 'cl-1', number: 'R-1', customerRef: { erpId: 'c' }, productRef: { erpId: 'p' }, defect: 'шум', lines: [] } }, { db, queue }),
    );
    expect(await deliverOutbox(deps(), id)).toMatchObject({ state: 'dead' });
    expect(await row(id)).toMatchObject({ lastErrorKind: 'unsupported' });
  });
});
