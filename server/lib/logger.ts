import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear. Bitrix24 sends tokens as AUTH_ID / REFRESH_ID (placements, install),
 * auth[access_token] (events) and application_token; ERPs and our own config add passwords and secrets.
 */
const SECRET_KEYS = [
  'access_token', 'refresh_token', 'application_token', 'AUTH_ID', 'REFRESH_ID', 'APPLICATION_TOKEN', 'auth',
  'accessToken', 'refreshToken', 'applicationToken', 'password', 'client_secret', 'clientSecret', 'secret',
  'secretKey', 'authorization', 'cookie', 'set-cookie', 'token', 'sessionToken', 'x-dealerhub-session',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.auth',
  'req.query.AUTH_ID',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'dealerhub' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // A token can also hide inside a message string or URL query; scrub those too.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        err: pino.stdSerializers.err,
        req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: scrubSecrets(req.url ?? '') }),
      },
    },
    destination,
  );
}

const QUERY_SECRET = /([?&](?:auth|access_token|refresh_token|AUTH_ID|REFRESH_ID|APP_SID|application_token|code|client_secret)=)[^&#\s]+/gi;
const WEBHOOK_SECRET = /(\/rest\/\d+\/)[A-Za-z0-9]{6,}(\/)?/g;

/** Removes tokens from free text: query-string secrets and the secret segment of webhook URLs. */
export function scrubSecrets(text: string): string {
  return text.replace(QUERY_SECRET, '$1[redacted]').replace(WEBHOOK_SECRET, '$1[redacted]$2');
}

export type { Logger };
