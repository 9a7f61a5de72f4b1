import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { safeEqual, seal, unseal } from '../../../server/lib/crypto.js';

describe('token sealing', () => {
  const key = randomBytes(32);

  it('when a token is sealed, then the sealed text does not contain it and unseals back to it', () => {
    const sealed = seal(key, 'access-token-value');
    expect(sealed).not.toContain('access-token-value');
    expect(unseal(key, sealed)).toBe('access-token-value');
  });

  it('when the sealed value is tampered with or the key differs, then unsealing fails', () => {
    const sealed = seal(key, 'x');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('y').toString('base64url');
    expect(() => unseal(key, parts.join('.'))).toThrow();
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
  });

  it('when comparing tokens, then only equal non-empty strings match', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(false);
    expect(safeEqual(undefined, 'abc')).toBe(false);
  });
});
