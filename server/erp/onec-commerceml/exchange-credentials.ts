import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';
import type { PortalsRepository } from '../../modules/portals/portals.repository.js';

/**
 * The login and password 1C's «обмен с сайтом» node uses for our exchange endpoint, one pair per portal. Stored in the
 * portal's settings under `erp.exchange` as the login and a scrypt hash of the password (never the password).
 */

export interface ExchangeCredentials {
  login: string;
  /** Checks a presented password against the stored hash (constant time). */
  passwordCheck(password: string): Promise<boolean>;
}

export interface StoredExchangeCredentials {
  login: string;
  /** "scrypt$N$r$p$<salt b64url>$<hash b64url>". */
  passwordHash: string;
  updatedAt: string;
}

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashExchangePassword(password: string): Promise<string> {
  if (password.length < 8) throw new Error('the exchange password must have at least 8 characters');
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyExchangePassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function erpSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const erp = settings['erp'];
  return erp && typeof erp === 'object' && !Array.isArray(erp) ? (erp as Record<string, unknown>) : {};
}

/** Sets (or replaces) the exchange login and password of a portal; other `erp.*` settings are kept. */
export async function setExchangeCredentials(portals: PortalsRepository, portalId: number, input: { login: string; password: string }, now = new Date()): Promise<void> {
  const login = input.login.trim();
  if (!login || /[:\r\n]/.test(login)) throw new Error('the exchange login must be non-empty and contain no ":" or line breaks');
  const exchange: StoredExchangeCredentials = { login, passwordHash: await hashExchangePassword(input.password), updatedAt: now.toISOString() };
  await portals.updateSettings(portalId, (settings) => ({ ...settings, erp: { ...erpSettings(settings), exchange } }));
}

export async function clearExchangeCredentials(portals: PortalsRepository, portalId: number): Promise<void> {
  if (!(await portals.findById(portalId))) return;
  await portals.updateSettings(portalId, (settings) => {
    const { exchange: _drop, ...rest } = erpSettings(settings);
    return { ...settings, erp: rest };
  });
}

/** The `credentials` dependency of createCommerceMlFeed backed by portal settings (portalKey = member_id). */
export function portalExchangeCredentials(portals: PortalsRepository): (portalKey: string) => Promise<ExchangeCredentials | null> {
  return async (portalKey) => {
    const portal = await portals.findByMemberId(portalKey);
    const stored = portal ? (erpSettings(portal.settings)['exchange'] as Partial<StoredExchangeCredentials> | undefined) : undefined;
    if (!stored?.login || !stored.passwordHash) return null;
    const hash = stored.passwordHash;
    return { login: stored.login, passwordCheck: (password) => verifyExchangePassword(password, hash) };
  };
}

/** Login compare for the Basic header (constant time). */
export const loginMatches = (expected: string, presented: string) => safeEqual(expected, presented);
