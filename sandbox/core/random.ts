import { randomBytes } from 'node:crypto';

/** Lowercase hex of `bytes` random bytes (member_id, tokens, webhook secrets look like this on a real portal). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A token like the portal's 32-char lowercase alphanumerics. */
export function randomToken(length = 32): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] as number) % alphabet.length];
  return out;
}
