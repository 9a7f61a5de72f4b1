/**
 * A small portal for the catalog's http and db tests: a generated catalog (a few hundred SKUs) ingested through the
 * real read-model ingest, three dealers in groups A, B and C (C without its own price type: it falls back to its
 * ERP customer's), and sessions issued the way the placement handler issues them.
 */
import type { AppContext } from '../../server/context.js';
import { issueWidgetSession, type Role } from '../../server/modules/access/index.js';
import type { Dealer } from '../../server/modules/dealers/index.js';
import { createPricingRulesRepository, ZDiscountRule, ZSpecialOffer, type TDiscountRule, type TSpecialOffer } from '../../server/modules/pricing/index.js';
import { generateCatalog, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { seedReadModel } from '../perf/load/seed-catalog.js';

export interface CatalogPortal {
  portalId: number;
  cat: GeneratedCatalog;
  dealers: { a: Dealer; b: Dealer; c: Dealer };
  /** A widget session as the placement handler issues it: the dealer named by its Dealers item id. */
  session(role: Role, dealer: Dealer | null, userId?: number): Promise<string>;
}

let memberSeq = 0;

export async function seedCatalogPortal(ctx: AppContext, options: { skus?: number; seed?: string } = {}): Promise<CatalogPortal> {
  const { portal } = await ctx.portals.upsertInstalled({ memberId: `catalog-test-${process.pid}-${++memberSeq}`, domain: 'catalog-test.bitrix24.ru', protocol: 'https' });
  const cat = generateCatalog({ seed: options.seed ?? 'catalog-test', skus: options.skus ?? 300, warehouses: 3, customers: 4 });
  await seedReadModel(ctx.db, portal.id, cat, ctx.logger);
  const tier = (t: 'A' | 'B' | 'C') => cat.priceTypes.find((p) => p.dealerTier === t)!.ref;
  const dealer = (b24ItemId: number, group: string, priceTypeErpId: string | null, erpCustomerId: string | null) =>
    ctx.dealers.upsertFromItem({
      portalId: portal.id,
      b24ItemId,
      title: `Дилер ${group}`,
      stage: 'active',
      companyId: null,
      erpCustomerId,
      priceTypeErpId,
      dealerGroup: group,
      city: cat.warehouses[0]!.city,
      region: null,
      creditLimit: null,
      currency: 'RUB',
      paymentTermDays: null,
      blockOverLimit: false,
      blockOverdueDays: null,
      managerUserId: null,
    });
  const dealers = {
    a: await dealer(501, 'A', tier('A'), null),
    b: await dealer(502, 'B', tier('B'), null),
    c: await dealer(503, 'C', null, cat.customers[0]!.ref),
  };
  let userSeq = 1000;
  return {
    portalId: portal.id,
    cat,
    dealers,
    session: async (role, dealer, userId = ++userSeq) => {
      // Dealer users exist as dealer_users rows: the API reads the row again on every call.
      if (dealer && role.startsWith('dealer_')) await ctx.dealers.upsertUser(portal.id, { dealerId: dealer.id, b24UserId: userId, contactId: null, name: `User ${userId}`, email: null, role: role as never });
      return issueWidgetSession(ctx.config.app.secretKey, { portalId: portal.id, userId, role, dealerId: dealer?.b24ItemId ?? null, widget: 'cabinet' }).token;
    },
  };
}

let ruleSeq = 0;

/** Stores a discount rule as the smart-process sync would (status ok). */
export async function addDiscount(ctx: AppContext, portalId: number, rule: Partial<TDiscountRule> & Pick<TDiscountRule, 'kind' | 'value'>): Promise<TDiscountRule> {
  const parsed = ZDiscountRule.parse({ id: ++ruleSeq, title: `Скидка ${ruleSeq}`, audience: { kind: 'all' }, target: { kind: 'all' }, ...rule });
  await createPricingRulesRepository(ctx.db).upsert(portalId, { source: 'discount', b24ItemId: parsed.id, title: parsed.title, rule: parsed, status: 'ok', problem: null });
  return parsed;
}

export async function addOffer(ctx: AppContext, portalId: number, offer: Partial<TSpecialOffer> & Pick<TSpecialOffer, 'kind' | 'value'>): Promise<TSpecialOffer> {
  const parsed = ZSpecialOffer.parse({ id: ++ruleSeq, title: `Акция ${ruleSeq}`, audience: { kind: 'all' }, target: { kind: 'all' }, ...offer });
  await createPricingRulesRepository(ctx.db).upsert(portalId, { source: 'offer', b24ItemId: parsed.id, title: parsed.title, rule: parsed, status: 'ok', problem: null });
  return parsed;
}
