import { createHash } from 'node:crypto';
import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import type { Redis } from 'ioredis';

/**
 * "Seen before?" for placement POSTs. Bitrix24 makes a new APP_SID for every render of a widget
 * (api-reference/widgets/_includes/widget_data.md), so a POST whose APP_SID we already accepted is a replay — a
 * captured form sent again — and is refused. Entries live as long as the user token that came with it could.
 *
 * With Redis (REDIS_URL) the check is one `SET NX PX` shared by every instance; otherwise the `placement_nonces` table
 * (unique index) does the same job on the shared database.
 */
export interface NonceStore {
  /** True the first time (portal, nonce) is seen within `ttlMs`; false for a replay. */
  claim(portalId: number, nonce: string, ttlMs: number): Promise<boolean>;
}

const hashOf = (nonce: string) => createHash('sha256').update(nonce).digest('base64url');

export function createSqlNonceStore(sequelize: Sequelize, now: () => Date = () => new Date()): NonceStore {
  let lastPurge = 0;
  return {
    async claim(portalId, nonce, ttlMs) {
      const at = now();
      // Expired entries go first, so a nonce can be reused after its token is long dead (and the table stays small).
      if (at.getTime() - lastPurge > 60_000) {
        lastPurge = at.getTime();
        await sequelize.query('DELETE FROM placement_nonces WHERE expires_at < :at', { replacements: { at }, type: QueryTypes.BULKDELETE });
      }
      try {
        await sequelize.getQueryInterface().bulkInsert('placement_nonces', [{ portal_id: portalId, nonce_hash: hashOf(nonce), expires_at: new Date(at.getTime() + ttlMs), created_at: at }]);
        return true;
      } catch (err) {
        if (err instanceof UniqueConstraintError) return false;
        throw err;
      }
    },
  };
}

export function createRedisNonceStore(redis: Redis, keyPrefix = ''): NonceStore {
  return {
    async claim(portalId, nonce, ttlMs) {
      const ok = await redis.set(`${keyPrefix}dh:placement-nonce:${portalId}:${hashOf(nonce)}`, '1', 'PX', Math.max(1000, Math.round(ttlMs)), 'NX');
      return ok === 'OK';
    },
  };
}
