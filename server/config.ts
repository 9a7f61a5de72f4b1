import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The only place that reads process.env (DESIGN.md §8). Everything else receives an AppConfig.
 *
 * Two modes:
 * - `sandbox` (default): the app runs beside the local Bitrix24 sandbox portal; secrets that are not given are
 *   generated once and kept in DATA_DIR/sandbox-secrets.json so stored tokens stay decryptable across restarts.
 * - `production`: every secret must be given; nothing is generated.
 */

const ZBool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'], { message: 'expected one of 1, 0, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const ZUrl = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(':', ''));
      } catch {
        return false;
      }
    },
    { message: `expected a URL with scheme ${protocols.join(' or ')}` },
  );

const ZSecretKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, { message: 'expected 64 hex characters (32 random bytes), e.g. `openssl rand -hex 32`' });

export const ZEnv = z.object({
  APP_MODE: z.enum(['sandbox', 'production'], { message: 'expected "sandbox" or "production"' }).default('sandbox'),
  NODE_ENV: z.string().optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ message: 'expected a TCP port number' })
    .int({ message: 'expected an integer TCP port' })
    .min(0, { message: 'expected a TCP port between 0 and 65535' })
    .max(65535, { message: 'expected a TCP port between 0 and 65535' })
    .default(3000),
  PUBLIC_URL: ZUrl(['http', 'https']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, {
      message: 'expected sqlite:<path> | sqlite::memory: | mysql://user:pass@host:port/db | mariadb://…',
    })
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: ZUrl(['redis', 'rediss']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'expected a size such as 512kb or 2mb' })
    .default('2mb'),
  APP_CLIENT_ID: z.string().min(3, { message: 'expected the application client_id from the Bitrix24 app card' }).optional(),
  APP_CLIENT_SECRET: z.string().min(8, { message: 'expected the application client_secret (8+ characters)' }).optional(),
  APP_SECRET_KEY: ZSecretKey.optional(),
  B24_PORTAL_DOMAINS: z
    .string()
    .default('*.bitrix24.ru,*.bitrix24.com,*.bitrix24.de,*.bitrix24.by,*.bitrix24.kz,*.bitrix24.eu,*.bitrix24.es,*.bitrix24.pl,*.bitrix24.com.br,*.bitrix24.in,*.bitrix24.fr,*.bitrix24.it,*.bitrix24.ua,*.bitrix24.tech'),
  B24_OAUTH_SERVERS: z
    .string()
    .default('https://oauth.bitrix.info/rest/,https://oauth.bitrix24.tech/rest/'),
  B24_RATE_LIMIT: z
    .string()
    .regex(/^\d+\/\d+(\.\d+)?$/, { message: 'expected "burst/drainPerSecond", e.g. 50/2 or 250/5' })
    .default('50/2'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  SANDBOX_DEMO: ZBool.default(true),
  SANDBOX_PORT: z.coerce.number({ message: 'expected a TCP port number' }).int().min(0).max(65535).optional(),
  SANDBOX_HTTPS_PORT: z.coerce.number({ message: 'expected a TCP port number' }).int().min(0).max(65535).optional(),
  ERP_KIND: z.enum(['1c-odata', '1c-commerceml', 'ax2012-aif', 'd365-odata', 'files', 'none']).default('1c-odata'),
  ERP_URL: ZUrl(['http', 'https']).optional(),
  ERP_USER: z.string().optional(),
  ERP_PASSWORD: z.string().optional(),
  ERP_1C_PROFILE: z.enum(['ut11', 'erp2', 'bp30'], { message: 'expected ut11, erp2 or bp30 (the 1C configuration)' }).default('ut11'),
  ERP_TIMEZONE: z.string().min(1).default('Europe/Moscow'),
  ERP_COMPANY: z.string().optional(),
  ERP_D365_TENANT: z.string().optional(),
  ERP_D365_AUTHORITY: ZUrl(['https', 'http']).optional(),
  ERP_D365_RESOURCE: ZUrl(['https', 'http']).optional(),
  ERP_FILES_DIR: z.string().optional(),
  SMTP_URL: ZUrl(['smtp', 'smtps']).optional(),
});

export type TEnv = z.infer<typeof ZEnv>;

export interface AppConfig {
  mode: 'sandbox' | 'production';
  host: string;
  port: number;
  /** Base URL Bitrix24 calls (handlers, placements, robots). In sandbox mode it is derived from HOST/PORT at start. */
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string;
  databasePoolMax: number;
  redisUrl: string | undefined;
  logLevel: TEnv['LOG_LEVEL'];
  bodyLimit: string;
  app: { clientId: string; clientSecret: string; secretKey: Buffer };
  b24: {
    /** Host patterns (`*.bitrix24.ru`, `crm.example.com:8443`) a portal may live at; anything else is refused (no SSRF). */
    portalDomains: string[];
    /** OAuth servers (SERVER_ENDPOINT values) we trust to vouch for a portal's tokens. */
    oauthServers: string[];
    rateLimit: { burst: number; drainPerSecond: number };
  };
  shutdownGraceMs: number;
  sandboxDemo: boolean;
  /** The local portal's ports in sandbox mode (default PORT+100 and PORT+101). */
  sandbox: { httpPort: number; httpsPort: number };
  erp: {
    kind: TEnv['ERP_KIND'];
    url: string | undefined;
    /** Basic-auth user (1C, AX) or the Entra application (client) id (D365). */
    user: string | undefined;
    /** Basic-auth password (1C, AX) or the client secret (D365). */
    password: string | undefined;
    onecProfile: TEnv['ERP_1C_PROFILE'];
    timeZone: string;
    /** AX company / D365 legal entity (dataAreaId). */
    company: string | undefined;
    d365: { tenant: string | undefined; authority: string | undefined; resource: string | undefined };
    filesDir: string | undefined;
  };
  /** smtp(s)://user:pass@host:port?from=… for dealer e-mail notifications; unset = e-mail is not configured. */
  smtpUrl: string | undefined;
  version: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as "VARIABLE: expected …, got "value"" lines (secrets are never echoed). */
function describeIssues(error: z.ZodError, env: Record<string, string | undefined>): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const raw = env[name];
    const secret = /SECRET|PASSWORD|KEY|TOKEN/.test(name);
    const got = raw === undefined ? 'it is not set' : secret ? 'the given value does not fit' : `got "${raw}"`;
    return `${name}: ${issue.message} (${got})`;
  });
}

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

interface SandboxSecrets {
  clientId: string;
  clientSecret: string;
  secretKey: string;
}

/** Sandbox secrets are generated once per data dir, so a restarted demo still decrypts the tokens it stored. */
function loadOrCreateSandboxSecrets(dataDir: string, persist: boolean): SandboxSecrets {
  const file = resolve(dataDir, 'sandbox-secrets.json');
  if (persist && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxSecrets;
  const secrets: SandboxSecrets = {
    clientId: `local.${randomBytes(8).toString('hex')}.${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
    secretKey: randomBytes(32).toString('hex'),
  };
  if (persist) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

const splitList = (v: string) => v.split(',').map((d) => d.trim()).filter(Boolean);

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, cleaned));
  const e = parsed.data;

  const problems: string[] = [];
  if (e.APP_MODE === 'production') {
    if (!e.APP_CLIENT_ID) problems.push('APP_CLIENT_ID: required in production (the client_id of the Bitrix24 application)');
    if (!e.APP_CLIENT_SECRET) problems.push('APP_CLIENT_SECRET: required in production (the client_secret of the Bitrix24 application)');
    if (!e.APP_SECRET_KEY) problems.push('APP_SECRET_KEY: required in production; expected 64 hex characters, e.g. `openssl rand -hex 32`');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required in production; expected the https URL Bitrix24 reaches the app at');
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: required in production; expected mysql://user:pass@host:3306/dealerhub');
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'dealerhub.sqlite')}`;
  const persistSecrets = !databaseUrl.startsWith('sqlite::memory:');
  const generated =
    e.APP_CLIENT_ID && e.APP_CLIENT_SECRET && e.APP_SECRET_KEY ? undefined : loadOrCreateSandboxSecrets(dataDir, persistSecrets);
  const [burst, drain] = e.B24_RATE_LIMIT.split('/').map(Number) as [number, number];

  return {
    mode: e.APP_MODE,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir,
    databaseUrl,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    app: {
      clientId: e.APP_CLIENT_ID ?? generated!.clientId,
      clientSecret: e.APP_CLIENT_SECRET ?? generated!.clientSecret,
      secretKey: Buffer.from(e.APP_SECRET_KEY ?? generated!.secretKey, 'hex'),
    },
    b24: {
      portalDomains: splitList(e.B24_PORTAL_DOMAINS).map((d) => d.toLowerCase()),
      oauthServers: splitList(e.B24_OAUTH_SERVERS).map((u) => u.replace(/\/*$/, '/')),
      rateLimit: { burst, drainPerSecond: drain },
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    sandboxDemo: e.SANDBOX_DEMO,
    sandbox: {
      httpPort: e.SANDBOX_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 100),
      httpsPort: e.SANDBOX_HTTPS_PORT ?? (e.PORT === 0 ? 0 : e.PORT + 101),
    },
    erp: {
      kind: e.ERP_KIND,
      url: e.ERP_URL,
      user: e.ERP_USER,
      password: e.ERP_PASSWORD,
      onecProfile: e.ERP_1C_PROFILE,
      timeZone: e.ERP_TIMEZONE,
      company: e.ERP_COMPANY,
      d365: { tenant: e.ERP_D365_TENANT, authority: e.ERP_D365_AUTHORITY, resource: e.ERP_D365_RESOURCE },
      filesDir: e.ERP_FILES_DIR,
    },
    smtpUrl: e.SMTP_URL,
    version: readPackageVersion(),
  };
}
