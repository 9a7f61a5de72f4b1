import type { Logger } from '../lib/logger.js';
import type { B24Client } from './b24-client.js';
import { createB24ClientCore } from './create-b24-client.js';
import type { B24ClientOptions } from './create-portal-client.js';
import type { RateLimiter } from './rate-limiter.js';
import { createHookTransport } from './sdk-transport.js';
import { operatingTrackerFor } from './shared-state.js';

export interface WebhookClientDeps extends B24ClientOptions {
  limiter: RateLimiter;
  logger: Logger;
  /** The bucket to share; defaults to the webhook's host. Pass the portal's member_id to share it with the app. */
  limiterKey?: string;
}

/** A client for an incoming webhook URL (`https://{portal}/rest/{userId}/{secret}/`). */
export function createWebhookClient(url: string, deps: WebhookClientDeps): B24Client {
  const transport = createHookTransport(url, { limiter: deps.limiter, limiterKey: deps.limiterKey, timeoutMs: deps.timeoutMs, caCertPem: deps.caCertPem });
  return createB24ClientCore({
    transport,
    limiter: deps.limiter,
    operating: operatingTrackerFor(deps.limiter, () => transport.identity, deps.operating),
    logger: deps.logger,
    retry: deps.retry,
  });
}
