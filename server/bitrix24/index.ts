/** The Bitrix24 REST client port: import from here (STYLE.md: a module's index is its only import point). */
export type { B24Client, B24Envelope, B24Time, B24Call, B24Params, B24BatchItem, B24BatchResult, B24CallOutcome, CallManyOptions, ListOptions, B24ClientStats } from './b24-client.js';
export { B24Error, isB24Error, classifyB24Failure, type B24ErrorKind, type B24Failure } from './b24-error.js';
export { createPortalClient, type PortalClientDeps, type B24ClientOptions } from './create-portal-client.js';
export { createWebhookClient, type WebhookClientDeps } from './create-webhook-client.js';
export { createRateLimiter, createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter, type RateLimitSettings } from './rate-limiter.js';
export { createMemoryRefreshLock, createRedisRefreshLock, type RefreshLock } from './refresh-lock.js';
export { isIdempotentMethod } from './method-safety.js';
export { DEFAULT_RETRY, type RetryPolicy } from './create-b24-client.js';
export { refreshOAuthToken, OAuthServerError, tokenUrl, ZOAuthTokenResponse, type TOAuthTokenResponse } from './oauth-server.js';
export { isAllowedPortalDomain, isTrustedOAuthServer } from './portal-domains.js';
export { createB24Clients, type B24Clients } from './create-b24-clients.js';
