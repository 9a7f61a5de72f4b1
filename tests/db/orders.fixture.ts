import type { AppContext } from '../../server/context.js';
import { issueWidgetSession, type Role } from '../../server/modules/access/index.js';
import { catalogFor } from '../../server/modules/catalog/index.js';
import { resolveCartActor, type CartActor } from '../../server/modules/carts/index.js';
import type { Dealer } from '../../server/modules/dealers/index.js';
import type { Portal } from '../../server/modules/portals/index.js';
import { generateCatalog, type GeneratedCatalog } from '../../sandbox/erp/catalog/index.js';
import { seedReadModel } from '../perf/load/seed-catalog.js';

/**
 * A portal for the cart and order storage / http tests: a generated catalog ingested through the real read-model
 * ingest, two dealers (A with two legal entities, B), their users, and the ways tests act as them: a CartActor (what
 * routes resolve from a session) and a signed widget session.
 */
export interface OrderPortal {
  portal: Portal;
  cat: GeneratedCatalog;
  a: Dealer;
  b: Dealer;
  users: { headA: number; buyerA: number; headB: number; manager: number };
  companies: { a1: number; a2: number; b1: number };
  actor(userId: number, companyId?: number): Promise<CartActor>;
  session(userId: number, role: Role, dealerItemId: number | null): string;
  /** Products by what the catalog says of them (for building lines and quick orders). */
  products(): Promise<{ priced: Array<{ id: number; sku: string }>; packed: { id: number; sku: string; ratio: string } | null; notOnSale: { id: number; sku: string } | null }>;
}

let seq = 0;

export async function seedOrderPortal(ctx: AppContext, options: { skus?: number } = {}): Promise<OrderPortal> {
  const n = ++seq;
  const { portal } = await ctx.portals.upsertInstalled({ memberId: `orders-test-${process.pid}-${n}`, domain: 'orders-test.bitrix24.ru', protocol: 'https' });
  const cat = generateCatalog({ seed: `orders-${n}`, skus: options.skus ?? 400, warehouses: 3, customers: 2 });
  await seedReadModel(ctx.db, portal.id, cat, ctx.logger);
  const tierA = cat.priceTypes.find((p) => p.dealerTier === 'A')!.ref;
  const dealer = (b24ItemId: number, title: string, companyId: number) =>
    ctx.dealers.upsertFromItem({ portalId: portal.id, b24ItemId, title, stage: 'active', companyId, erpCustomerId: null, priceTypeErpId: tierA, dealerGroup: 'A', city: cat.warehouses[0]!.city, region: null, creditLimit: null, currency: 'RUB', paymentTermDays: null, blockOverLimit: false, blockOverdueDays: null, managerUserId: 7 });
  const companies = { a1: 100 + n * 10, a2: 101 + n * 10, b1: 102 + n * 10 };
  const a = await dealer(700 + n * 10, 'Дилер А', companies.a1);
  const b = await dealer(701 + n * 10, 'Дилер Б', companies.b1);
  await ctx.dealers.replaceLegalEntities(portal.id, a.id, [
    { companyId: companies.a1, name: 'ООО А', inn: '7701000001', kpp: null, erpCustomerId: null, isMain: true },
    { companyId: companies.a2, name: 'ИП А', inn: '770100000002', kpp: null, erpCustomerId: null, isMain: false },
  ]);
  await ctx.dealers.replaceLegalEntities(portal.id, b.id, [{ companyId: companies.b1, name: 'ООО Б', inn: '7801000001', kpp: null, erpCustomerId: null, isMain: true }]);
  const users = { headA: 5000 + n * 10, buyerA: 5001 + n * 10, headB: 5002 + n * 10, manager: 7 };
  await ctx.dealers.upsertUser(portal.id, { dealerId: a.id, b24UserId: users.headA, name: 'Глава А', email: 'head.a@example.ru', role: 'dealer_head' });
  await ctx.dealers.upsertUser(portal.id, { dealerId: a.id, b24UserId: users.buyerA, name: 'Закупщик А', role: 'dealer_buyer' });
  await ctx.dealers.upsertUser(portal.id, { dealerId: b.id, b24UserId: users.headB, name: 'Глава Б', role: 'dealer_head' });
  const roleOf = async (userId: number): Promise<Role> => (await ctx.dealers.findUser(portal.id, userId))?.role ?? 'manager';

  return {
    portal,
    cat,
    a,
    b,
    users,
    companies,
    async actor(userId, companyId) {
      const user = await ctx.dealers.findUser(portal.id, userId);
      const dealer = user ? await ctx.dealers.findById(portal.id, user.dealerId) : null;
      const { session } = issueWidgetSession(ctx.config.app.secretKey, { portalId: portal.id, userId, role: await roleOf(userId), dealerId: dealer?.b24ItemId ?? null, widget: 'cabinet' });
      return resolveCartActor(ctx, { portal, session }, { companyId });
    },
    session: (userId, role, dealerItemId) => issueWidgetSession(ctx.config.app.secretKey, { portalId: portal.id, userId, role, dealerId: dealerItemId, widget: 'cabinet' }).token,
    async products() {
      const catalog = await catalogFor(ctx, portal.id);
      const pricing = catalog.dealerPricing(a.id)!;
      const snapshot = catalog.snapshot!;
      const column = snapshot.priceTypes.get(pricing.priceType!.id)!;
      const priced: Array<{ id: number; sku: string }> = [];
      let packed: { id: number; sku: string; ratio: string } | null = null;
      let notOnSale: { id: number; sku: string } | null = null;
      snapshot.index.products.forEach((p, slot) => {
        if (!p.sku) return;
        if (!p.onSale) notOnSale ??= { id: p.id, sku: p.sku };
        else if (column.text(slot) !== null) {
          if (p.packRatio) packed ??= { id: p.id, sku: p.sku, ratio: p.packRatio };
          else priced.push({ id: p.id, sku: p.sku });
        }
      });
      return { priced, packed, notOnSale };
    },
  };
}
