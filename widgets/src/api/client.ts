import axios, { type AxiosInstance } from 'axios';

/** The error shape every /api endpoint answers with (server/http/error-middleware.ts). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Widgets call only our /api (never Bitrix24 CRM directly: extranet dealers have no CRM access). Every call carries
 * the short-lived signed session the placement handler issued.
 */
export function createApiClient(session: string, baseURL = '/api'): AxiosInstance {
  const client = axios.create({ baseURL, timeout: 30_000, headers: { 'X-DealerHub-Session': session } });
  client.interceptors.response.use(undefined, (err: unknown) => {
    if (axios.isAxiosError(err)) {
      const body = err.response?.data as ApiErrorBody | undefined;
      if (err.response && body?.error) {
        throw new ApiError(err.response.status, body.error.code, body.error.message, body.error.details);
      }
      throw new ApiError(err.response?.status ?? 0, err.response ? 'HTTP_ERROR' : 'NETWORK', err.message);
    }
    throw err;
  });
  return client;
}
