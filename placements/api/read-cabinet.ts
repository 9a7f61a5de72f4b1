import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import { isDealerRole, permissionsOf, type RequestScope } from '../../server/modules/access/index.js';
import { findDealersForCompany, installedSmartProcess, type DealerUser } from '../../server/modules/dealers/index.js';
import type { Lang } from './card-fields.js';
import { loadDealer, peopleByIds, summarizeDealer, type DealerSummary } from './read-dealer-card.js';

export type CabinetHome =
  | {
      kind: 'dealer';
      me: { userId: number; name: string; role: string; permissions: string[] };
      dealer: DealerSummary;
      legalEntities: Array<{ id: number; companyId: number; name: string; inn: string | null; kpp: string | null; isMain: boolean }>;
    }
  | { kind: 'staff'; me: { userId: number; role: string; permissions: string[] }; dealersTotal: number };

/**
 * The cabinet's first screen. A dealer user gets their own dealer (from the session, never from the request), the
 * legal entities they may act for and their personal manager; staff get the size of the dealer list (the dealer picker
 * and act-as-dealer come with the cabinet screens).
 */
export async function readCabinetHome(ctx: AppContext, scope: RequestScope, dealerUser: DealerUser | null): Promise<CabinetHome> {
  const { portal, session } = scope;
  const lang: Lang = session.lang === 'en' ? 'en' : 'ru';
  if (!isDealerRole(session.role)) {
    const { total } = await ctx.dealers.list(portal.id, { limit: 1 });
    return { kind: 'staff', me: { userId: session.userId, role: session.role, permissions: permissionsOf(session.role, session.grants) }, dealersTotal: total };
  }
  if (!session.dealerId || !dealerUser) throw new AppError('FORBIDDEN', 'Your account is not connected to a dealer');
  const dealer = await loadDealer(ctx, portal.id, session.dealerId);
  const entities = await ctx.dealers.legalEntities(portal.id, dealer.id);
  const allowed = dealerUser.legalEntityIds;
  const names = await peopleByIds(ctx, portal.id, dealer.managerUserId ? [dealer.managerUserId] : []);
  const manager = dealer.managerUserId ? { id: dealer.managerUserId, name: names.get(dealer.managerUserId) ?? `#${dealer.managerUserId}` } : null;
  return {
    kind: 'dealer',
    me: { userId: session.userId, name: dealerUser.name, role: session.role, permissions: permissionsOf(session.role, session.grants) },
    dealer: summarizeDealer(dealer, lang, manager, installedSmartProcess(portal.settings, 'dealers')?.entityTypeId ?? null),
    legalEntities: entities.filter((e) => allowed.length === 0 || allowed.includes(e.id)).map((e) => ({ id: e.id, companyId: e.companyId, name: e.name, inn: e.inn, kpp: e.kpp, isMain: e.isMain })),
  };
}

export interface CompanyDealers {
  company: { id: number; title: string };
  dealers: Array<DealerSummary & { companyRole: 'main' | 'legal-entity' }>;
}

/** The company tab: which dealer a CRM company belongs to (as its main company or a holding legal entity), or none. */
export async function readCompanyDealers(ctx: AppContext, scope: RequestScope, companyId: number): Promise<CompanyDealers> {
  const { portal, session } = scope;
  if (isDealerRole(session.role)) throw new AppError('FORBIDDEN', 'The company card is for staff only');
  const lang: Lang = session.lang === 'en' ? 'en' : 'ru';
  let title = `#${companyId}`;
  try {
    const company = await ctx.b24.forPortal(portal.id).call<Record<string, unknown>>('crm.company.get', { id: companyId });
    title = String(company.TITLE ?? title);
  } catch (err) {
    if ((err as { kind?: string }).kind === 'not_found') throw new AppError('NOT_FOUND', 'The company was not found');
    throw new AppError('UPSTREAM_FAILED', 'Bitrix24 did not answer for the company; try again', { cause: err });
  }
  const dealers = await findDealersForCompany(ctx, portal.id, companyId);
  const names = await peopleByIds(ctx, portal.id, dealers.map((d) => d.managerUserId ?? 0));
  const eti = installedSmartProcess(portal.settings, 'dealers')?.entityTypeId ?? null;
  return {
    company: { id: companyId, title },
    dealers: await Promise.all(
      dealers.map(async (d) => {
        const fresh = await loadDealer(ctx, portal.id, d.b24ItemId);
        const manager = fresh.managerUserId ? { id: fresh.managerUserId, name: names.get(fresh.managerUserId) ?? `#${fresh.managerUserId}` } : null;
        return { ...summarizeDealer(fresh, lang, manager, eti), companyRole: fresh.companyId === companyId ? ('main' as const) : ('legal-entity' as const) };
      }),
    ),
  };
}
