import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../../lib/crypto.js';
import { ROLES } from './roles.js';

/**
 * A short-lived signed session the placement handler issues after it has verified the portal's POST; widgets send it
 * on every /api call. Stateless (HMAC under APP_SECRET_KEY with a purpose label), so any instance can check it.
 */
export const ZWidgetSession = z.object({
  v: z.literal(1),
  sid: z.string().min(8),
  portalId: z.number().int().positive(),
  userId: z.number().int().positive(),
  role: z.enum(ROLES),
  /** The Dealers smart-process item the user belongs to (dealer roles) or acts for (act-as-dealer). */
  dealerId: z.number().int().positive().nullable(),
  /** Extra permissions granted to this dealer user by their head (e.g. buyer may see company orders). */
  grants: z.array(z.string()).default([]),
  /** The staff member acting on behalf of a dealer user; every action is audited with both ids. */
  actorUserId: z.number().int().positive().nullable().default(null),
  widget: z.string().min(1),
  lang: z.string().default('ru'),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TWidgetSession = z.infer<typeof ZWidgetSession>;

export const SESSION_TTL_SECONDS = 2 * 60 * 60;
const PURPOSE = 'dealerhub.widget-session.v1';

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(PURPOSE).update('.').update(body).digest('base64url');
}

export function issueWidgetSession(
  key: Buffer,
  claims: Omit<TWidgetSession, 'v' | 'sid' | 'iat' | 'exp' | 'grants' | 'actorUserId' | 'lang'> &
    Partial<Pick<TWidgetSession, 'grants' | 'actorUserId' | 'lang'>>,
  now = Date.now(),
  ttlSeconds = SESSION_TTL_SECONDS,
): { token: string; session: TWidgetSession } {
  const iat = Math.floor(now / 1000);
  const session: TWidgetSession = ZWidgetSession.parse({
    v: 1,
    sid: randomBytes(12).toString('base64url'),
    grants: [],
    actorUserId: null,
    lang: 'ru',
    ...claims,
    iat,
    exp: iat + ttlSeconds,
  });
  const body = Buffer.from(JSON.stringify(session)).toString('base64url');
  return { token: `dh1.${body}.${sign(key, body)}`, session };
}

export type SessionCheck = { ok: true; session: TWidgetSession } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyWidgetSession(key: Buffer, token: string | undefined | null, now = Date.now()): SessionCheck {
  const parts = (token ?? '').split('.');
  if (parts.length !== 3 || parts[0] !== 'dh1' || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  if (!safeEqual(sign(key, parts[1]), parts[2])) return { ok: false, reason: 'bad-signature' };
  let parsed;
  try {
    parsed = ZWidgetSession.safeParse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, session: parsed.data };
}
