/**
 * One error type for everything the Bitrix24 client can fail with, classified so callers branch on `kind` instead of
 * matching strings. Codes and statuses come from the docs' system error table (api-reference/_includes/system-errors.md,
 * error-codes.md), the limits page (limits.md: 503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT) and the OAuth
 * server's codes (settings/oauth/error-codes.md).
 *
 * Why our own class instead of the SDK's AjaxError: AjaxError knows code and status, but not whether the portal
 * *definitely rejected* the request or whether it may have been applied (a timeout or a 5xx after the body was sent).
 * That difference decides whether a write may be retried, so it is part of our error, not something callers guess.
 */

export type B24ErrorKind =
  /** 503 QUERY_LIMIT_EXCEEDED: the request was refused before processing; safe to retry after a pause. */
  | 'rate_limit'
  /** 429 OPERATION_TIME_LIMIT: the method is blocked for this app until a minute bucket resets; refused, safe to retry. */
  | 'operation_time_limit'
  /** 503 OVERLOAD_LIMIT: a manual block by Bitrix24; retrying does not help. */
  | 'overload'
  /** 401 expired_token / invalid_token: refused before processing; the client refreshes once and retries. */
  | 'token_expired'
  /** Other authorization failures (NO_AUTH_FOUND, INVALID_CREDENTIALS, invalid_client…). */
  | 'auth'
  /** The refresh token is revoked or expired (invalid_grant): an administrator must reinstall or re-authorize the app. */
  | 'reinstall_required'
  /** The app's paid or trial period is over (PAYMENT_REQUIRED from the OAuth server). */
  | 'payment_required'
  /** ACCESS_DENIED, insufficient_scope, allowed_only_intranet_user, WRONG_AUTH_TYPE, user_access_error. */
  | 'access_denied'
  /** ERROR_METHOD_NOT_FOUND. */
  | 'method_not_found'
  /** NOT_FOUND, ERROR_ENTITY_NOT_FOUND and similar. */
  | 'not_found'
  /** Any other refusal of the request as given (4xx, or an error body on 200 such as placement.bind ERROR_ARGUMENT). */
  | 'invalid_request'
  /** 5xx from the portal or a proxy; for a read the client retries, for a write it becomes `ambiguous`. */
  | 'server'
  /** The connection failed before the request was sent (refused, DNS): safe to retry. */
  | 'network'
  /** The request was sent but no answer arrived (reset, timeout); for a write it becomes `ambiguous`. */
  | 'timeout'
  /**
   * A non-idempotent write may or may not have been applied (timeout, 5xx or broken connection after the body was sent).
   * It is never retried blindly: look the object up (e.g. by its external id) and resubmit only if it is missing —
   * `callIdempotent` and `callMany({lookup})` do exactly that.
   */
  | 'ambiguous'
  /** A command of a `batch` with halt=1 that was not executed because an earlier one failed. */
  | 'skipped';

/** What the wire told us about one failed attempt. */
export interface B24Failure {
  httpStatus?: number;
  /** The Bitrix24 `error` string; may be empty (userfieldconfig.* quirk). */
  code?: string;
  description?: string;
  /** Only for failures without an HTTP answer: was the request possibly received by the portal? */
  transport?: 'not_sent' | 'sent' | 'timeout';
}

export interface B24FailureClass {
  kind: B24ErrorKind;
  /** The portal certainly did not process the request, so any method may be resent. */
  rejected: boolean;
  /** Trying again later can succeed. */
  transient: boolean;
}

const ACCESS_DENIED = new Set([
  'ACCESS_DENIED', 'insufficient_scope', 'invalid_scope', 'allowed_only_intranet_user', 'WRONG_AUTH_TYPE', 'user_access_error',
  'AUTHORIZE_ERROR', 'ERROR_MANIFEST_IS_NOT_AVAILABLE',
]);
const AUTH = new Set(['NO_AUTH_FOUND', 'INVALID_CREDENTIALS', 'invalid_client', 'invalid_request', 'INVALID_REQUEST']);
const NOT_FOUND = new Set(['NOT_FOUND', 'ERROR_ENTITY_NOT_FOUND', 'ERROR_NOT_FOUND', 'ERROR_PLACEMENT_NOT_FOUND', 'ERROR_EVENT_NOT_FOUND']);

/** Pure classification of one failed attempt; unit-tested against the documented codes. */
export function classifyB24Failure(f: B24Failure): B24FailureClass {
  const code = f.code ?? '';
  const status = f.httpStatus;
  if (status === undefined || status === 0) {
    if (f.transport === 'not_sent') return { kind: 'network', rejected: true, transient: true };
    return { kind: 'timeout', rejected: false, transient: true };
  }
  if (code === 'QUERY_LIMIT_EXCEEDED') return { kind: 'rate_limit', rejected: true, transient: true };
  if (code === 'OPERATION_TIME_LIMIT' || status === 429) return { kind: 'operation_time_limit', rejected: true, transient: true };
  if (code === 'OVERLOAD_LIMIT') return { kind: 'overload', rejected: true, transient: false };
  if (code === 'expired_token' || code === 'invalid_token') return { kind: 'token_expired', rejected: true, transient: true };
  if (code === 'invalid_grant') return { kind: 'reinstall_required', rejected: true, transient: false };
  if (code === 'PAYMENT_REQUIRED') return { kind: 'payment_required', rejected: true, transient: false };
  if (ACCESS_DENIED.has(code)) return { kind: 'access_denied', rejected: true, transient: false };
  if (AUTH.has(code) || status === 401) return { kind: 'auth', rejected: true, transient: false };
  if (code === 'ERROR_METHOD_NOT_FOUND') return { kind: 'method_not_found', rejected: true, transient: false };
  if (NOT_FOUND.has(code)) return { kind: 'not_found', rejected: true, transient: false };
  if (status >= 500) return { kind: 'server', rejected: false, transient: code !== 'PORTAL_DELETED' };
  if (status === 403) return { kind: 'access_denied', rejected: true, transient: false };
  if (status === 404 && !code) return { kind: 'not_found', rejected: true, transient: false };
  if (status === 408) return { kind: 'timeout', rejected: false, transient: true };
  return { kind: 'invalid_request', rejected: true, transient: false };
}

export interface B24ErrorInit {
  code: string;
  description?: string;
  httpStatus?: number;
  method: string;
  kind: B24ErrorKind;
  /** Retrying the same call (after a pause) can succeed without risk of a duplicate. */
  isRetryable?: boolean;
  portalId?: number;
  /** For `ambiguous` writes: the parameters that were sent, so the caller can look the object up by its own keys. */
  params?: Record<string, unknown>;
  /** For `operation_time_limit`: when the method is expected to be callable again (ms since epoch). */
  retryAt?: number;
  cause?: unknown;
}

export class B24Error extends Error {
  /** The Bitrix24 `error` string (or ours: NETWORK_ERROR, REQUEST_TIMEOUT, BATCH_HALTED …). */
  readonly code: string;
  readonly description: string;
  readonly httpStatus: number | undefined;
  readonly method: string;
  readonly kind: B24ErrorKind;
  readonly isRetryable: boolean;
  readonly portalId: number | undefined;
  declare readonly params: Record<string, unknown> | undefined;
  readonly retryAt: number | undefined;

  constructor(init: B24ErrorInit) {
    const description = init.description ?? '';
    super(`${init.method}: ${init.code}${description ? ` — ${description}` : ''}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'B24Error';
    this.code = init.code;
    this.description = description;
    this.httpStatus = init.httpStatus;
    this.method = init.method;
    this.kind = init.kind;
    this.isRetryable = init.isRetryable ?? false;
    this.portalId = init.portalId;
    // Kept off enumeration so a logged error object never dumps a payload by accident.
    Object.defineProperty(this, 'params', { value: init.params, enumerable: false });
    this.retryAt = init.retryAt;
  }

  get isAmbiguous(): boolean {
    return this.kind === 'ambiguous';
  }

  /** Safe for logs and API answers: no params, no tokens. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, kind: this.kind, httpStatus: this.httpStatus, method: this.method, description: this.description, portalId: this.portalId };
  }
}

export function isB24Error(err: unknown): err is B24Error {
  return err instanceof B24Error;
}

/** Builds the error a caller sees from a classified failure. */
export function toB24Error(
  failure: B24Failure,
  cls: B24FailureClass,
  extra: { method: string; portalId?: number; params?: Record<string, unknown>; retryAt?: number; cause?: unknown; ambiguous?: boolean },
): B24Error {
  const code = failure.code || (failure.httpStatus ? `HTTP_${failure.httpStatus}` : failure.transport === 'not_sent' ? 'NETWORK_ERROR' : 'REQUEST_TIMEOUT');
  return new B24Error({
    code,
    description: failure.description,
    httpStatus: failure.httpStatus || undefined,
    method: extra.method,
    kind: extra.ambiguous ? 'ambiguous' : cls.kind,
    isRetryable: !extra.ambiguous && cls.transient,
    portalId: extra.portalId,
    params: extra.ambiguous ? extra.params : undefined,
    retryAt: extra.retryAt,
    cause: extra.cause,
  });
}
