/**
 * A REST error as the portal answers it: `{error, error_description}` plus optional extra keys (e.g. `argument` for
 * placement.bind), with the HTTP status the docs give for that code (_includes/system-errors.md and each method page).
 */
export class RestError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly status: number = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${description}`);
    this.name = 'RestError';
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra };
  }
}

/** The system errors every method can answer (_includes/system-errors.md). */
export const SystemErrors = {
  methodNotFound: () => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404),
  noAuth: () => new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401),
  invalidCredentials: () => new RestError('INVALID_CREDENTIALS', 'Invalid request credentials', 401),
  expiredToken: () => new RestError('expired_token', 'The access token provided has expired.', 401),
  invalidToken: () => new RestError('invalid_token', 'The access token provided is invalid.', 401),
  insufficientScope: () =>
    new RestError('insufficient_scope', 'The request requires higher privileges than provided by the access token.', 403),
  queryLimit: () => new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503),
  operationTimeLimit: () => new RestError('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429),
  accessDenied: (detail?: string) => new RestError('ACCESS_DENIED', detail ? `Access denied! ${detail}` : 'Access denied!', 403),
  wrongAuthType: () => new RestError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method', 403),
  onlyIntranet: () => new RestError('allowed_only_intranet_user', 'Action is allowed only for intranet users', 403),
  internal: (msg = 'Internal server error') => new RestError('INTERNAL_SERVER_ERROR', msg, 500),
  batchLength: () => new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded', 400),
  batchMethodNotAllowed: () => new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405),
  userAccess: () => new RestError('user_access_error', 'The user does not have access to the application.', 403),
};
