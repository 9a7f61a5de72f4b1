import type { AppConfig } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { PortalsRepository } from '../modules/portals/portals.repository.js';
import type { B24Client } from './b24-client.js';
import { createPortalClient, type B24ClientOptions } from './create-portal-client.js';
import { createWebhookClient } from './create-webhook-client.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface B24Clients {
  /** The limiter every client of this app instance shares (Redis-backed when config.redisUrl is set). */
  readonly limiter: RateLimiter;
  forPortal(portalId: number): B24Client;
  forWebhook(url: string, limiterKey?: string): B24Client;
  /** Closes the limiter's Redis connection (register it in AppContext.onClose). */
  close(): Promise<void>;
}

/**
 * What an app instance builds once at start: one limiter (so all of its clients pace together, and with REDIS_URL
 * together with the other instances) and cheap per-portal clients on top of it.
 */
export function createB24Clients(deps: { config: AppConfig; logger: Logger; portals: PortalsRepository; keyPrefix?: string } & B24ClientOptions): B24Clients {
  const limiter = createRateLimiter({ ...deps.config.b24.rateLimit, redisUrl: deps.config.redisUrl, keyPrefix: deps.keyPrefix });
  const { config, logger, portals, keyPrefix: _keyPrefix, ...options } = deps;
  // One client per portal: it holds the SDK object and its interceptors; state that matters (tokens, limiter,
  // operating stats) is shared anyway, so reuse is only about not rebuilding it per request.
  const perPortal = new Map<number, B24Client>();
  return {
    limiter,
    forPortal: (portalId) => {
      let client = perPortal.get(portalId);
      if (!client) perPortal.set(portalId, (client = createPortalClient({ ...options, portals, config, logger, limiter, portalId })));
      return client;
    },
    forWebhook: (url, limiterKey) => createWebhookClient(url, { ...options, logger, limiter, limiterKey }),
    close: async () => {
      await limiter.close?.();
    },
  };
}
