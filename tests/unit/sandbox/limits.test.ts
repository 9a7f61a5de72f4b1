import { describe, expect, it } from 'vitest';
import { createClock } from '../../../sandbox/core/clock.js';
import { LeakyBucket, OperatingTracker } from '../../../sandbox/rest/limits.js';

describe('leaky bucket (limits.md §Request Rate Limits)', () => {
  it('when 50 requests arrive at once, then the 51st is refused, and two seconds later two more pass', () => {
    const clock = createClock(() => 1_000_000);
    const bucket = new LeakyBucket(50, 2, clock);
    for (let i = 0; i < 50; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.take()).toBe(false);
    clock.advance(1000);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('when the pace stays at the drain rate, then nothing is ever refused', () => {
    const clock = createClock(() => 0);
    const bucket = new LeakyBucket(5, 2, clock);
    for (let i = 0; i < 100; i++) {
      expect(bucket.take()).toBe(true);
      clock.advance(500);
    }
  });

  it('when the plan is enterprise, then 250 pass and 5 drain per second', () => {
    const clock = createClock(() => 0);
    const bucket = new LeakyBucket(250, 5, clock);
    let passed = 0;
    for (let i = 0; i < 300; i++) if (bucket.take()) passed++;
    expect(passed).toBe(250);
    clock.advance(1000);
    passed = 0;
    for (let i = 0; i < 10; i++) if (bucket.take()) passed++;
    expect(passed).toBe(5);
  });
});

describe('operating time (limits.md §Resource Intensity Limits)', () => {
  it('when the sum exceeds the limit, then the next call is blocked until the oldest basket expires', () => {
    const clock = createClock(() => Date.parse('2026-05-14T10:05:20Z'));
    const op = new OperatingTracker(clock, 480);
    for (let i = 0; i < 20; i++) op.add('app|crm.item.list', 20);
    expect(op.state('app|crm.item.list').operating).toBe(400);
    expect(op.isBlocked('app|crm.item.list')).toBe(false);
    clock.advance(60_000);
    for (let i = 0; i < 5; i++) op.add('app|crm.item.list', 20);
    expect(op.state('app|crm.item.list').operating).toBe(500);
    expect(op.isBlocked('app|crm.item.list')).toBe(true);
    expect(op.isBlocked('app|crm.item.get')).toBe(false);
    expect(op.state('app|crm.item.list').resetAt).toBe(Date.parse('2026-05-14T10:15:20Z'));
    clock.advance(9 * 60_000);
    expect(op.state('app|crm.item.list').operating).toBe(100);
    expect(op.isBlocked('app|crm.item.list')).toBe(false);
  });

  it('when the limit is switched off, then nothing is blocked', () => {
    const op = new OperatingTracker(createClock(), null);
    op.add('k', 10_000);
    expect(op.isBlocked('k')).toBe(false);
  });
});
