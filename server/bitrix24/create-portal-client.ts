import type { AppConfig } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { PortalsRepository } from '../modules/portals/portals.repository.js';
import type { B24Client } from './b24-client.js';
import { createB24ClientCore, type RetryPolicy } from './create-b24-client.js';
import type { OperatingOptions } from './operating-tracker.js';
import { portalTokenSource } from './portal-tokens.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RefreshLock } from './refresh-lock.js';
import { createOAuthTransport } from './sdk-transport.js';
import { defaultRefreshLock, operatingTrackerFor } from './shared-state.js';

export interface B24ClientOptions {
  retry?: Partial<RetryPolicy>;
  operating?: OperatingOptions;
  /** Per-request timeout (default 65 s). */
  timeoutMs?: number;
  /** Extra CA to trust (PEM), e.g. the sandbox portal's self-signed CA. */
  caCertPem?: string;
}

export interface PortalClientDeps extends B24ClientOptions {
  portals: PortalsRepository;
  config: AppConfig;
  limiter: RateLimiter;
  logger: Logger;
  portalId: number;
  /** Cross-instance refresh lock; by default Redis through the limiter's connection when it has one. */
  refreshLock?: RefreshLock;
}


/**
 * A client for one installed portal (tenant): tokens from the tenant store, refreshed on 401 once for everybody,
 * paced by the shared limiter keyed by the portal's member_id. Cheap to create; nothing is read until the first call.
 */
export function createPortalClient(deps: PortalClientDeps): B24Client {
  const tokens = portalTokenSource({
    portals: deps.portals,
    config: deps.config,
    logger: deps.logger,
    portalId: deps.portalId,
    lock: deps.refreshLock ?? defaultRefreshLock(deps.limiter),
  });
  const transport = createOAuthTransport(tokens, { limiter: deps.limiter, timeoutMs: deps.timeoutMs, caCertPem: deps.caCertPem });
  return createB24ClientCore({
    transport,
    limiter: deps.limiter,
    operating: operatingTrackerFor(deps.limiter, () => transport.identity, deps.operating),
    logger: deps.logger,
    portalId: deps.portalId,
    retry: deps.retry,
  });
}
