import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';

/**
 * Fast wake-ups between instances: an enqueue PUBLISHes the job kind, idle workers SUBSCRIBEd to the channel poll at
 * once instead of at their next tick. Only a hint — a lost message costs one poll interval, never a job — so Redis
 * being down or absent changes latency, not correctness.
 */
export interface WakeupChannel {
  notify(kind: string): void;
  subscribe(listener: (kind: string) => void): Promise<void>;
  close(): Promise<void>;
}

export const WAKEUP_CHANNEL = 'dealerhub:jobs:wake';

export function createRedisWakeup(redis: string | Redis, logger: Logger, channel = WAKEUP_CHANNEL): WakeupChannel {
  const owned = typeof redis === 'string';
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false } as const;
  const publisher = typeof redis === 'string' ? new Redis(redis, options) : redis;
  let subscriber: Redis | null = null;
  let warned = false;
  const onError = (err: Error) => {
    // Redis down is a degraded mode (polling), worth one warning, not a log line per reconnect attempt.
    if (!warned) logger.warn({ err: err.message }, 'redis unavailable: job wake-ups fall back to polling');
    warned = true;
  };
  if (owned) publisher.on('error', onError);

  return {
    notify(kind) {
      if (publisher.status !== 'ready') return;
      publisher.publish(channel, kind).catch(onError);
    },
    async subscribe(listener) {
      subscriber = publisher.duplicate({ ...options, enableOfflineQueue: true });
      subscriber.on('error', onError);
      subscriber.on('ready', () => (warned = false));
      subscriber.on('message', (ch: string, message: string) => {
        if (ch === channel) listener(message);
      });
      try {
        await subscriber.subscribe(channel);
      } catch (err) {
        onError(err as Error);
      }
    },
    async close() {
      const quit = async (c: Redis | null) => {
        if (!c) return;
        try {
          await c.quit();
        } catch {
          c.disconnect();
        }
      };
      await quit(subscriber);
      if (owned) await quit(publisher);
    },
  };
}
