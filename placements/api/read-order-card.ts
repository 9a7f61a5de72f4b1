import type { SmartProcessKey } from '../../installer/manifest.js';
import { isB24Error, type B24Client } from '../../server/bitrix24/index.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import type { DecimalString } from '../../server/lib/decimal.js';
import type { RequestScope } from '../../server/modules/access/index.js';
import {
  decimalOrNull,
  installedSmartProcess,
  itemCardPath,
  requireSmartProcess,
  syncDealerItem,
  ufBool,
  ufInt,
  type Dealer,
  type DealerLegalEntity,
  type DealerUser,
  type InstalledSmartProcess,
} from '../../server/modules/dealers/index.js';
import { dateOf, enumFieldOf, idOf, stageInfo, textOf, type Lang, type StageInfo } from './card-fields.js';
import { assertItemVisible } from './item-scope.js';
import { readProductRows, totalsOf, type LinesTotals, type ProductLine } from './read-product-rows.js';

export interface CardDealer {
  itemId: number;
  title: string;
  /** The Dealers card in the portal (staff open it in a slider). */
  cardPath: string | null;
}

export interface CardLegalEntity {
  companyId: number;
  name: string;
  inn: string | null;
}

export interface OrderCard {
  order: {
    id: number;
    title: string;
    number: string | null;
    stage: StageInfo;
    dealer: CardDealer | null;
    legalEntity: CardLegalEntity | null;
    delivery: { method: { key: string; label: string } | null; address: string | null; desiredDate: string | null; warehouse: string | null };
    erp: { number: string | null; status: string | null };
    creditCheck: string | null;
    changesPending: boolean;
    comment: string | null;
    source: { key: string; label: string } | null;
    submittedBy: number | null;
    currency: string;
    opportunity: DecimalString | null;
    createdTime: string | null;
    updatedTime: string | null;
    cardPath: string;
  };
  lines: ProductLine[];
  totals: LinesTotals;
}

export interface LoadedItem {
  item: Record<string, unknown>;
  sp: InstalledSmartProcess;
  dealer: Dealer | null;
  legalEntities: DealerLegalEntity[];
  dealerItemId: number | null;
  companyId: number | null;
  dealersEntityTypeId: number | null;
}

/** crm.item.get with the app token; a missing item is a 404 for the widget. */
export async function getItem(client: B24Client, sp: InstalledSmartProcess, id: number, what: string): Promise<Record<string, unknown>> {
  try {
    const got = await client.call<{ item?: Record<string, unknown> }>('crm.item.get', { entityTypeId: sp.entityTypeId, id });
    if (!got.item) throw new AppError('NOT_FOUND', `${what} was not found`);
    return got.item;
  } catch (err) {
    if (isB24Error(err) && err.kind === 'not_found') throw new AppError('NOT_FOUND', `${what} was not found`);
    if (isB24Error(err)) throw new AppError('UPSTREAM_FAILED', `Bitrix24 did not answer for ${what.toLowerCase()} (${err.code}); try again`, { cause: err });
    throw err;
  }
}

/** The dealer of an item from the read model, synced on the spot when the read model has not seen it yet. */
export async function dealerOf(ctx: AppContext, portalId: number, dealerItemId: number | null): Promise<{ dealer: Dealer | null; legalEntities: DealerLegalEntity[] }> {
  if (!dealerItemId) return { dealer: null, legalEntities: [] };
  let dealer = await ctx.dealers.findByItemId(portalId, dealerItemId);
  if (!dealer) {
    try {
      const synced = await syncDealerItem(ctx, portalId, dealerItemId);
      if (synced.status === 'upserted') return { dealer: synced.dealer, legalEntities: synced.legalEntities };
    } catch (err) {
      ctx.logger.warn({ err, portalId, dealerItemId }, 'dealer of a card could not be synced');
    }
    dealer = null;
  }
  return { dealer, legalEntities: dealer ? await ctx.dealers.legalEntities(portalId, dealer.id) : [] };
}

/** Loads an order or claim, checks the session may see it, and resolves its dealer. */
export async function loadScopedItem(ctx: AppContext, scope: RequestScope, dealerUser: DealerUser | null, key: Extract<SmartProcessKey, 'orders' | 'claims'>, id: number): Promise<LoadedItem> {
  const { portal, session } = scope;
  const sp = requireSmartProcess(portal.settings, key);
  const dealersSp = installedSmartProcess(portal.settings, 'dealers');
  const what = key === 'orders' ? 'The order' : 'The claim';
  const item = await getItem(ctx.b24.forPortal(portal.id), sp, id, what);
  const dealerItemId = dealersSp ? idOf(item[`parentId${dealersSp.entityTypeId}`]) : null;
  const companyId = idOf(item.companyId);
  const submittedBy = ufInt(sp.fields.submittedBy ? item[sp.fields.submittedBy.restName] : null);
  // Scope is decided before anything else of the item is read or returned.
  const legalForScope = dealerUser ? await ctx.dealers.legalEntities(portal.id, dealerUser.dealerId) : [];
  assertItemVisible(session, dealerUser, legalForScope, { dealerItemId, companyId, submittedBy }, key === 'orders' ? 'order' : 'claim');
  const { dealer, legalEntities } = await dealerOf(ctx, portal.id, dealerItemId);
  return { item, sp, dealer, legalEntities, dealerItemId, companyId, dealersEntityTypeId: dealersSp?.entityTypeId ?? null };
}

/** The dealer block of a card: from the read model, or just the id when it could not be synced. */
export function cardDealerOf(loaded: LoadedItem): CardDealer | null {
  if (!loaded.dealerItemId) return null;
  const cardPath = loaded.dealersEntityTypeId ? itemCardPath(loaded.dealersEntityTypeId, loaded.dealerItemId) : null;
  return { itemId: loaded.dealerItemId, title: loaded.dealer?.title ?? `#${loaded.dealerItemId}`, cardPath };
}

export async function legalEntityOf(client: B24Client, companyId: number | null, known: DealerLegalEntity[]): Promise<CardLegalEntity | null> {
  if (!companyId) return null;
  const entity = known.find((e) => e.companyId === companyId);
  if (entity) return { companyId, name: entity.name, inn: entity.inn };
  try {
    const company = await client.call<Record<string, unknown>>('crm.company.get', { id: companyId });
    return { companyId, name: String(company.TITLE ?? `#${companyId}`), inn: null };
  } catch {
    return { companyId, name: `#${companyId}`, inn: null };
  }
}

/** The order tab: header fields of an Orders item and its product rows with totals (decimal strings). */
export async function readOrderCard(ctx: AppContext, scope: RequestScope, dealerUser: DealerUser | null, orderId: number): Promise<OrderCard> {
  const lang = scope.session.lang === 'en' ? 'en' : ('ru' as Lang);
  const loaded = await loadScopedItem(ctx, scope, dealerUser, 'orders', orderId);
  const { item, sp } = loaded;
  const client = ctx.b24.forPortal(scope.portal.id);
  const [lines, legalEntity, deliveryMethod, source] = await Promise.all([
    readProductRows(client, sp.entityTypeId, orderId),
    legalEntityOf(client, loaded.companyId, loaded.legalEntities),
    enumFieldOf(client, scope.portal.id, 'orders', sp, item, 'deliveryMethod', lang),
    enumFieldOf(client, scope.portal.id, 'orders', sp, item, 'source', lang),
  ]);
  return {
    order: {
      id: orderId,
      title: String(item.title ?? ''),
      number: textOf(item, sp, 'orderNumber'),
      stage: stageInfo('orders', sp, item.stageId, lang),
      dealer: cardDealerOf(loaded),
      legalEntity,
      delivery: { method: deliveryMethod, address: textOf(item, sp, 'deliveryAddress'), desiredDate: dateOf(sp.fields.desiredDate ? item[sp.fields.desiredDate.restName] : null), warehouse: textOf(item, sp, 'warehouse') },
      erp: { number: textOf(item, sp, 'erpNumber'), status: textOf(item, sp, 'erpStatus') },
      creditCheck: textOf(item, sp, 'creditCheck'),
      changesPending: sp.fields.changesPending ? ufBool(item[sp.fields.changesPending.restName]) : false,
      comment: textOf(item, sp, 'dealerComment'),
      source,
      submittedBy: ufInt(sp.fields.submittedBy ? item[sp.fields.submittedBy.restName] : null),
      currency: String(item.currencyId ?? loaded.dealer?.currency ?? 'RUB'),
      opportunity: decimalOrNull(item.opportunity),
      createdTime: dateOf(item.createdTime),
      updatedTime: dateOf(item.updatedTime),
      cardPath: itemCardPath(sp.entityTypeId, orderId),
    },
    lines,
    totals: totalsOf(lines),
  };
}
