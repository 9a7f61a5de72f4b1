import type { AppContext } from '../server/context.js';
import { AppError } from '../server/http/app-error.js';
import { issueWidgetSession, permissionsOf } from '../server/modules/access/index.js';
import { installedSmartProcess } from '../server/modules/dealers/index.js';
import type { Portal } from '../server/modules/portals/index.js';
import { placementCodesOf, WIDGETS, type WidgetEntry, type WidgetKey } from './registry.js';
import { resolveRole } from './resolve-role.js';
import { uiLangOf } from './ui-lang.js';
import type { RefusalReason } from './refusal-pages.js';
import type { VerifiedPlacement } from './verify-placement.js';
import { portalOrigin, type WidgetBootstrap } from './widget-page.js';

export type OpenWidgetResult =
  | { ok: true; widget: WidgetEntry; bootstrap: WidgetBootstrap; portal: Portal }
  | { ok: false; reason: RefusalReason; portal: Portal; status: number };


function entityTypeIdsOf(portal: Portal) {
  const out: Record<string, number> = {};
  for (const key of ['dealers', 'orders', 'claims', 'discounts', 'offers'] as const) {
    const sp = installedSmartProcess(portal.settings, key);
    if (sp) out[key] = sp.entityTypeId;
  }
  return out;
}

/**
 * After verifyPlacement: who the user is (resolveRole), which widget they get (`app` = the app's own page: admins the
 * settings, everyone else the cabinet), whether their role may open it, and the short-lived signed session the
 * widget's /api calls will carry.
 */
export async function openWidget(ctx: AppContext, requested: WidgetKey | 'app', verified: VerifiedPlacement): Promise<OpenWidgetResult> {
  const { portal, user } = verified;
  const role = await resolveRole(ctx, portal, user);
  if (!role.ok) return { ok: false, reason: role.reason, portal, status: 403 };

  const key: WidgetKey = requested === 'app' ? (role.role === 'admin' ? 'admin' : 'cabinet') : requested;
  const widget = WIDGETS[key];
  if (widget.cardOf) {
    // A card tab must come from the placement it is bound to (CRM_DYNAMIC_<eTI>_DETAIL_TAB …) with the card's id.
    const codes = placementCodesOf(key, entityTypeIdsOf(portal));
    if (codes.length > 0 && !codes.includes(verified.placement)) {
      throw new AppError('BAD_REQUEST', `The ${key} widget does not serve the placement ${verified.placement}`);
    }
    if (!(Number(verified.options.ID) > 0)) throw new AppError('BAD_REQUEST', 'PLACEMENT_OPTIONS has no card ID');
  }
  if (!widget.roles.includes(role.role)) return { ok: false, reason: 'role', portal, status: 403 };

  const lang = uiLangOf(verified.lang);
  const { token, session } = issueWidgetSession(ctx.config.app.secretKey, {
    portalId: portal.id,
    userId: user.id,
    role: role.role,
    dealerId: role.dealer?.b24ItemId ?? null,
    grants: role.grants,
    widget: key,
    lang,
  });
  ctx.logger.debug({ portalId: portal.id, userId: user.id, widget: key, role: role.role }, 'widget session issued');
  return {
    ok: true,
    widget,
    portal,
    bootstrap: {
      session: token,
      sessionExpiresAt: session.exp,
      lang,
      widget: key,
      placement: verified.placement,
      placementOptions: verified.options,
      user: { id: user.id, name: user.name, role: role.role, dealerId: session.dealerId },
      permissions: permissionsOf(role.role, role.grants),
      dealer: role.dealer ? { itemId: role.dealer.b24ItemId, title: role.dealer.title } : null,
      portal: { domain: portal.domain, memberId: portal.memberId, origin: portalOrigin(portal) },
      actingAs: null,
    },
  };
}
