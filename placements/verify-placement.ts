import { z } from 'zod';
import { isAllowedPortalDomain, isB24Error } from '../server/bitrix24/index.js';
import type { AppContext } from '../server/context.js';
import { AppError } from '../server/http/app-error.js';
import type { Portal } from '../server/modules/portals/index.js';
import { callAsUser } from './call-as-user.js';
import type { NonceStore } from './placement-nonces.js';

/**
 * The placement POST (api-reference/widgets/_includes/widget_data.md): DOMAIN, PROTOCOL, LANG, APP_SID in the query
 * string; AUTH_ID, AUTH_EXPIRES, REFRESH_ID, SERVER_ENDPOINT, APPLICATION_TOKEN, member_id, status, PLACEMENT,
 * PLACEMENT_OPTIONS (a JSON string) in the form body.
 */
export const ZPlacementQuery = z.object({
  DOMAIN: z.string().min(1, 'DOMAIN is required').max(255),
  PROTOCOL: z.enum(['0', '1']).default('1'),
  LANG: z.string().max(8).default('ru'),
  APP_SID: z.string().min(8, 'APP_SID is required').max(255),
});

export const ZPlacementBody = z.object({
  AUTH_ID: z.string().min(1, 'AUTH_ID is required').max(512),
  AUTH_EXPIRES: z.coerce.number().int().min(0).max(86_400).optional(),
  REFRESH_ID: z.string().max(512).optional(),
  SERVER_ENDPOINT: z.string().max(512).optional(),
  APPLICATION_TOKEN: z.string().max(512).optional(),
  APPLICATION_SCOPE: z.string().max(2000).optional(),
  member_id: z.string().min(1, 'member_id is required').max(64),
  status: z.string().max(2).optional(),
  PLACEMENT: z.string().max(100).default('DEFAULT'),
  PLACEMENT_OPTIONS: z.string().max(20_000).optional(),
});

export type TPlacementQuery = z.infer<typeof ZPlacementQuery>;
export type TPlacementBody = z.infer<typeof ZPlacementBody>;

export interface PortalUser {
  id: number;
  name: string;
  email: string | null;
  /** `employee` (intranet) or `extranet` (external: dealer staff). */
  userType: 'employee' | 'extranet';
  isAdmin: boolean;
}

export interface VerifiedPlacement {
  portal: Portal;
  user: PortalUser;
  placement: string;
  options: Record<string, unknown>;
  lang: string;
}

/** Nonces outlive the user token they came with (AUTH_EXPIRES, 1 h by default). */
const NONCE_TTL_MS = 2 * 60 * 60 * 1000;

const refused = (message = 'This request did not come from a Bitrix24 portal that installed DealerHub') => new AppError('FORBIDDEN', message);

function parseOptions(raw: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new AppError('BAD_REQUEST', 'PLACEMENT_OPTIONS is not valid JSON');
  }
}

function toPortalUser(me: Record<string, unknown>, isAdmin: unknown): PortalUser {
  const id = Number(me.ID);
  if (!Number.isInteger(id) || id <= 0) throw refused('Bitrix24 did not name the signed-in user');
  const departments = Array.isArray(me.UF_DEPARTMENT) ? me.UF_DEPARTMENT.filter((d) => Number(d) > 0) : [];
  // USER_TYPE is what user.current answers (user-current.md); without it, employees are the ones with a department.
  const userType = me.USER_TYPE === 'employee' ? 'employee' : me.USER_TYPE ? 'extranet' : departments.length > 0 ? 'employee' : 'extranet';
  const name = [me.NAME, me.LAST_NAME].filter((p) => typeof p === 'string' && p.trim()).join(' ').trim() || String(me.EMAIL ?? `#${id}`);
  const email = typeof me.EMAIL === 'string' && me.EMAIL.includes('@') ? me.EMAIL.trim().toLowerCase() : null;
  return { id, name, email, userType, isAdmin: userType === 'employee' && (isAdmin === true || isAdmin === 'true' || isAdmin === 'Y' || isAdmin === 1) };
}

/**
 * Checks a placement POST before anything is trusted, in an order where each step only talks to what the previous one
 * proved: (1) member_id of an installed portal whose stored DOMAIN is the posted one and on the allow-list — so no
 * request ever goes to a host named by the caller; (2) APPLICATION_TOKEN equal to the stored one (constant time);
 * (3) APP_SID never seen before (replays refused); (4) AUTH_ID accepted by that portal for a real user
 * (user.current + user.admin with the user's own token, in one batch).
 */
export async function verifyPlacement(ctx: AppContext, nonces: NonceStore, query: TPlacementQuery, body: TPlacementBody): Promise<VerifiedPlacement> {
  const domain = query.DOMAIN.trim().toLowerCase();
  const portal = await ctx.portals.findByMemberId(body.member_id);
  const tokenOk = await ctx.portals.applicationTokenMatches(body.member_id, body.APPLICATION_TOKEN ?? '');
  if (!portal || portal.status !== 'installed') {
    ctx.logger.info({ memberId: body.member_id }, 'placement refused: unknown or uninstalled portal');
    throw refused();
  }
  if (portal.domain.toLowerCase() !== domain || !isAllowedPortalDomain(domain, ctx.config.b24.portalDomains)) {
    ctx.logger.warn({ portalId: portal.id }, 'placement refused: DOMAIN does not match the portal');
    throw refused();
  }
  if (!tokenOk) {
    ctx.logger.warn({ portalId: portal.id }, 'placement refused: APPLICATION_TOKEN does not match');
    throw refused();
  }
  if (!(await nonces.claim(portal.id, query.APP_SID, NONCE_TTL_MS))) {
    ctx.logger.warn({ portalId: portal.id }, 'placement refused: APP_SID replayed');
    throw refused('This widget link was already used. Reload the page in Bitrix24 to open it again.');
  }

  let answer: { result?: Record<string, unknown>; result_error?: Record<string, unknown> };
  try {
    answer = await callAsUser(ctx.b24, portal, body.AUTH_ID, 'batch', { halt: 1, cmd: { me: 'user.current', admin: 'user.admin' } });
  } catch (err) {
    if (isB24Error(err) && ['token_expired', 'auth', 'access_denied', 'invalid_request', 'reinstall_required', 'payment_required'].includes(err.kind)) {
      ctx.logger.info({ portalId: portal.id, code: err.code }, 'placement refused: the portal did not accept AUTH_ID');
      throw refused('Bitrix24 did not confirm your sign-in (the link has expired or is not valid). Reload the page in Bitrix24 and open the tab again.');
    }
    throw new AppError('UPSTREAM_FAILED', 'Your Bitrix24 portal could not be reached to confirm your sign-in; try again in a minute', { cause: err });
  }
  const me = answer.result?.me;
  if (!me || typeof me !== 'object' || (answer.result_error && Object.keys(answer.result_error).length > 0)) {
    throw refused('Bitrix24 did not confirm your sign-in. Reload the page in Bitrix24 and open the tab again.');
  }
  return { portal, user: toPortalUser(me as Record<string, unknown>, answer.result?.admin), placement: body.PLACEMENT, options: parseOptions(body.PLACEMENT_OPTIONS), lang: query.LANG };
}
