import { DEALER_GROUPS, SMART_PROCESSES } from '../../installer/manifest.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import { selectRows } from '../../server/jobs/sql.js';
import { assertDealerInScope, can, isDealerRole, type Permission, type RequestScope } from '../../server/modules/access/index.js';
import {
  createErpCustomersRepository,
  erpIdsOf,
  installedSmartProcess,
  itemCardPath,
  publicDealerUser,
  summarizeFinance,
  syncDealerItem,
  type Dealer,
  type DealerFinance,
  type DealerLegalEntity,
} from '../../server/modules/dealers/index.js';
import type { Lang } from './card-fields.js';

export interface PersonRef {
  id: number;
  name: string;
}

export interface DealerSummary {
  /** DealerHub's dealer id (dealers.id): the catalog's `dealerId` when staff act as the dealer. */
  id: number;
  itemId: number;
  title: string;
  stage: { key: string; name: string; color: string | null };
  companyId: number | null;
  erpCustomerId: string | null;
  priceType: string | null;
  /** The price type's name in the ERP read model, when the Dealers card names it by its ERP id. */
  priceTypeName: string | null;
  dealerGroup: { key: string; label: string } | null;
  city: string | null;
  region: string | null;
  creditLimit: string | null;
  currency: string;
  paymentTermDays: number | null;
  blocking: { overLimit: boolean; overdueDays: number | null };
  manager: PersonRef | null;
  syncedAt: string;
  cardPath: string | null;
}

export interface DealerCard {
  dealer: DealerSummary;
  legalEntities: Array<Pick<DealerLegalEntity, 'id' | 'companyId' | 'name' | 'inn' | 'kpp' | 'erpCustomerId' | 'isMain'>>;
  users: Array<ReturnType<typeof publicDealerUser>> | null;
  finance: DealerFinance | null;
  can: { manageUsers: boolean; manageDealer: boolean; readFinance: boolean };
}

/** Names of portal users by id (user.get with the app token); unknown ids are left out. */
export async function peopleByIds(ctx: AppContext, portalId: number, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((id) => id > 0))];
  const out = new Map<number, string>();
  if (unique.length === 0) return out;
  try {
    const users = await ctx.b24.forPortal(portalId).call<Array<Record<string, unknown>>>('user.get', { FILTER: { ID: unique }, ADMIN_MODE: true });
    for (const u of users ?? []) out.set(Number(u.ID), [u.NAME, u.LAST_NAME].filter(Boolean).join(' ').trim() || String(u.EMAIL ?? `#${String(u.ID)}`));
  } catch (err) {
    ctx.logger.warn({ err, portalId }, 'user names could not be read');
  }
  return out;
}

export function summarizeDealer(dealer: Dealer, lang: Lang, manager: PersonRef | null, dealersEntityTypeId: number | null, priceTypeName: string | null = null): DealerSummary {
  const stageSpec = SMART_PROCESSES.find((s) => s.key === 'dealers')?.stages.find((s) => s.key === dealer.stage);
  const group = DEALER_GROUPS?.find((g) => g.xmlId === dealer.dealerGroup);
  return {
    id: dealer.id,
    itemId: dealer.b24ItemId,
    title: dealer.title,
    stage: { key: dealer.stage, name: stageSpec?.name[lang] ?? dealer.stage, color: stageSpec?.color ?? null },
    companyId: dealer.companyId,
    erpCustomerId: dealer.erpCustomerId,
    priceType: dealer.priceTypeErpId,
    priceTypeName,
    dealerGroup: dealer.dealerGroup ? { key: dealer.dealerGroup, label: group?.label[lang] ?? dealer.dealerGroup } : null,
    city: dealer.city,
    region: dealer.region,
    creditLimit: dealer.creditLimit,
    currency: dealer.currency,
    paymentTermDays: dealer.paymentTermDays,
    blocking: { overLimit: dealer.blockOverLimit, overdueDays: dealer.blockOverdueDays },
    manager,
    syncedAt: dealer.syncedAt.toISOString(),
    cardPath: dealersEntityTypeId ? itemCardPath(dealersEntityTypeId, dealer.b24ItemId) : null,
  };
}

/** The name of a price type the ERP sent, by its ERP id (null when the card holds a name or an unknown id). */
async function priceTypeNameOf(ctx: AppContext, portalId: number, erpId: string | null): Promise<string | null> {
  if (!erpId) return null;
  const [row] = await selectRows<{ name: string }>(ctx.db, 'SELECT name FROM erp_price_types WHERE portal_id = :portalId AND erp_id = :erpId', { portalId, erpId });
  return row?.name || null;
}

/** A dealer from the read model, or synced from the portal now; a Dealers item that does not exist is a 404. */
export async function loadDealer(ctx: AppContext, portalId: number, dealerItemId: number): Promise<Dealer> {
  const known = await ctx.dealers.findByItemId(portalId, dealerItemId);
  if (known) return known;
  const synced = await syncDealerItem(ctx, portalId, dealerItemId);
  if (synced.status !== 'upserted') throw new AppError('NOT_FOUND', 'The dealer was not found');
  return synced.dealer;
}

/** The dealer tab: terms, blocking rules, legal entities, users and roles, ERP finance (what the role may see). */
export async function readDealerCard(ctx: AppContext, scope: RequestScope, dealerItemId: number): Promise<DealerCard> {
  const { portal, session } = scope;
  assertDealerInScope(session, dealerItemId, 'The dealer');
  const lang: Lang = session.lang === 'en' ? 'en' : 'ru';
  const dealer = await loadDealer(ctx, portal.id, dealerItemId);
  const legalEntities = await ctx.dealers.legalEntities(portal.id, dealer.id);
  const grants = session.grants as Permission[];
  const manageUsers = can(session.role, 'dealer.users.manage', grants);
  const readFinance = can(session.role, 'finance.read', grants);
  const seeUsers = manageUsers || !isDealerRole(session.role);
  const users = seeUsers ? await ctx.dealers.listUsers(portal.id, dealer.id) : null;
  const finance = readFinance ? summarizeFinance(dealer, legalEntities, await createErpCustomersRepository(ctx.db.sequelize).finance(portal.id, erpIdsOf(dealer, legalEntities))) : null;
  const names = await peopleByIds(ctx, portal.id, dealer.managerUserId ? [dealer.managerUserId] : []);
  const manager = dealer.managerUserId ? { id: dealer.managerUserId, name: names.get(dealer.managerUserId) ?? `#${dealer.managerUserId}` } : null;
  return {
    dealer: summarizeDealer(dealer, lang, manager, installedSmartProcess(portal.settings, 'dealers')?.entityTypeId ?? null, await priceTypeNameOf(ctx, portal.id, dealer.priceTypeErpId)),
    legalEntities: legalEntities.map(({ id, companyId, name, inn, kpp, erpCustomerId, isMain }) => ({ id, companyId, name, inn, kpp, erpCustomerId, isMain })),
    users: users ? users.map(publicDealerUser) : null,
    finance,
    can: { manageUsers, manageDealer: can(session.role, 'dealer.manage', grants), readFinance },
  };
}
