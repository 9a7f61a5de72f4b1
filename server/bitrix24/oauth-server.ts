import axios from 'axios';
import { z } from 'zod';

/**
 * The OAuth server's token endpoint (settings/oauth/auto-renewal.md). The official SDK posts the refresh as a form
 * to `{serverEndpoint without /rest/}/oauth/token/` (b24jssdk packages/jssdk/src/oauth/auth.ts); we do the same.
 * The answer is authoritative for member_id and client_endpoint, which is why install verification relies on it.
 */
export const ZOAuthTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  expires: z.coerce.number().int().optional(),
  member_id: z.string().min(1),
  client_endpoint: z.string().url(),
  server_endpoint: z.string().url(),
  domain: z.string().optional(),
  scope: z.string().optional(),
  status: z.string().optional(),
  user_id: z.coerce.number().int().optional(),
});
export type TOAuthTokenResponse = z.infer<typeof ZOAuthTokenResponse>;

export class OAuthServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'OAuthServerError';
  }
}

export interface OAuthRefreshInput {
  serverEndpoint: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs?: number;
}

export function tokenUrl(serverEndpoint: string): string {
  return serverEndpoint.replace(/\/*$/, '/').replace(/rest\/$/, '') + 'oauth/token/';
}

export async function refreshOAuthToken(input: OAuthRefreshInput): Promise<TOAuthTokenResponse> {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: input.clientId,
    client_secret: input.clientSecret,
    refresh_token: input.refreshToken,
  });
  const res = await axios.post(tokenUrl(input.serverEndpoint), body.toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    timeout: input.timeoutMs ?? 15_000,
    validateStatus: () => true,
    maxRedirects: 0,
  });
  const data = res.data as Record<string, unknown> | undefined;
  if (res.status >= 400 || !data || typeof data !== 'object' || 'error' in data) {
    const code = typeof data?.error === 'string' ? data.error : `HTTP_${res.status}`;
    const description = typeof data?.error_description === 'string' ? data.error_description : 'token refresh refused';
    throw new OAuthServerError(code, description, res.status);
  }
  const parsed = ZOAuthTokenResponse.safeParse(data);
  if (!parsed.success) throw new OAuthServerError('invalid_response', 'the OAuth server answered without the expected fields', res.status);
  return parsed.data;
}
