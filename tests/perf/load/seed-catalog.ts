/**
 * Fills a database with a generated catalog through the real read-model ingest (the functions the ERP sync uses),
 * plus dealers and pricing rules, for the catalog's db/http tests (hundreds of SKUs) and its benchmark (100k SKUs,
 * 3,000 dealers, a few hundred rules).
 */
import type { Database } from '../../../server/db/database.js';
import {
  createIngestSession,
  ingestCustomers,
  ingestGroups,
  ingestPrices,
  ingestPriceTypes,
  ingestProducts,
  ingestStock,
  ingestWarehouses,
} from '../../../server/erp/read-model/index.js';
import { selectRows } from '../../../server/jobs/sql.js';
import type { Logger } from '../../../server/lib/logger.js';
import { createPricingRulesRepository, ZDiscountRule, ZSpecialOffer, type RuleUpsert } from '../../../server/modules/pricing/index.js';
import type { GeneratedCatalog } from '../../../sandbox/erp/catalog/index.js';
import { toErpCustomer, toErpGroup, toErpPrice, toErpPriceType, toErpProduct, toErpStock, toErpWarehouse } from '../../../sandbox/erp/catalog/normalize.js';

const BATCH = 2_000;

/** Ingests the generated catalog for a portal: groups, warehouses, price types, customers, products, prices, stock. */
export async function seedReadModel(db: Database, portalId: number, cat: GeneratedCatalog, logger: Logger, onProgress?: (done: number) => void): Promise<void> {
  const session = createIngestSession(db, portalId, { logger });
  await ingestGroups(session, cat.groups.map(toErpGroup));
  await ingestWarehouses(session, cat.warehouses.map(toErpWarehouse));
  await ingestPriceTypes(session, cat.priceTypes.map(toErpPriceType));
  await ingestCustomers(session, cat.customers.map(toErpCustomer));
  for (let from = 0; from < cat.productCount; from += BATCH) {
    const to = Math.min(cat.productCount, from + BATCH);
    const products = [...cat.products(from, to)];
    await ingestProducts(session, products.map((p) => toErpProduct(cat, p)));
    const prices = [];
    const stock = [];
    for (let i = from; i < to; i++) {
      prices.push(...cat.pricesOf(i).map(toErpPrice));
      stock.push(...cat.stockOf(i).map(toErpStock));
    }
    await ingestPrices(session, prices, { mode: 'merge' });
    await ingestStock(session, stock, { mode: 'merge' });
    onProgress?.(to);
  }
}

export interface SeededDealer {
  id: number;
  b24ItemId: number;
  group: string;
  priceTypeErpId: string | null;
}

/**
 * Dealers in bulk: groups A/B/C/PARTNER in turn, the matching dealer price type for A/B/C (others fall back to the
 * ERP customer's or the portal's default), a few with their own ERP customer.
 */
/** Bitrix24 user ids of the seeded dealers' buyers start here. */
export const DEALER_USER_BASE = 100_000;

export async function seedDealers(db: Database, portalId: number, cat: GeneratedCatalog, count: number, firstItemId = 1): Promise<SeededDealer[]> {
  const groups = ['A', 'B', 'C', 'PARTNER'];
  const tierType = new Map(cat.priceTypes.filter((t) => t.dealerTier).map((t) => [t.dealerTier!, t.ref]));
  const now = new Date();
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const group = groups[i % groups.length]!;
    rows.push({
      portal_id: portalId,
      b24_item_id: firstItemId + i,
      title: `Дилер ${firstItemId + i}`,
      stage: 'active',
      price_type_erp_id: tierType.get(group as 'A' | 'B' | 'C') ?? null,
      erp_customer_id: i % 50 === 3 && cat.customers.length ? cat.customers[i % cat.customers.length]!.ref : null,
      dealer_group: group,
      city: cat.warehouses[i % cat.warehouses.length]!.city,
      currency: 'RUB',
      block_over_limit: false,
      synced_at: now,
      created_at: now,
      updated_at: now,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await db.sequelize.getQueryInterface().bulkInsert('dealers', rows.slice(i, i + 500));
  const stored = await selectRows<Record<string, unknown>>(db, 'SELECT id, b24_item_id, dealer_group, price_type_erp_id FROM dealers WHERE portal_id = :portalId ORDER BY b24_item_id', { portalId });
  const seeded = stored
    .filter((r) => Number(r.b24_item_id) >= firstItemId && Number(r.b24_item_id) < firstItemId + count)
    .map((r) => ({ id: Number(r.id), b24ItemId: Number(r.b24_item_id), group: String(r.dealer_group), priceTypeErpId: (r.price_type_erp_id as string | null) ?? null }));
  // One buyer per dealer (Bitrix24 user id = DEALER_USER_BASE + item id): the API checks the dealer user on every call.
  const users = seeded.map((d) => ({ portal_id: portalId, dealer_id: d.id, b24_user_id: DEALER_USER_BASE + d.b24ItemId, name: `Покупатель ${d.b24ItemId}`, role: 'dealer_buyer', grants: '[]', legal_entity_ids: '[]', notification_settings: '{}', active: true, created_at: now, updated_at: now }));
  for (let i = 0; i < users.length; i += 500) await db.sequelize.getQueryInterface().bulkInsert('dealer_users', users.slice(i, i + 500));
  return seeded;
}

/**
 * A realistic reference book: group-wide discounts per dealer group, brand discounts, product specials, personal
 * discounts of some dealers, a few time-limited and minimum-quantity rules, and some special offers.
 */
export async function seedRules(
  db: Database,
  portalId: number,
  input: { dealers: SeededDealer[]; groupIds: number[]; brands: string[]; productIds: number[]; discounts: number; offers: number; seed?: number },
): Promise<number> {
  const repo = createPricingRulesRepository(db);
  let s = input.seed ?? 7;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const dealerGroups = ['A', 'B', 'C', 'PARTNER'];
  const upserts: RuleUpsert[] = [];
  for (let i = 1; i <= input.discounts; i++) {
    const audienceRoll = rand();
    const audience = audienceRoll < 0.5 ? { kind: 'dealer' as const, dealerId: pick(input.dealers).id } : audienceRoll < 0.85 ? { kind: 'dealer_group' as const, group: pick(dealerGroups) } : { kind: 'all' as const };
    const targetRoll = rand();
    const target =
      targetRoll < 0.45
        ? { kind: 'group' as const, groupId: String(pick(input.groupIds)) }
        : targetRoll < 0.7
          ? { kind: 'brand' as const, brand: pick(input.brands) }
          : targetRoll < 0.95
            ? { kind: 'product' as const, productId: String(pick(input.productIds)) }
            : { kind: 'all' as const };
    const kind = target.kind === 'product' && rand() < 0.3 ? 'amount_off' : 'percent';
    const rule = ZDiscountRule.parse({
      id: i,
      title: `Скидка ${i}`,
      audience,
      target,
      kind,
      value: kind === 'percent' ? (1 + Math.floor(rand() * 150) / 10).toFixed(1) : String(10 + Math.floor(rand() * 500)),
      priority: rand() < 0.1 ? 10 : 0,
      validFrom: rand() < 0.1 ? '2026-01-01' : null,
      validTo: rand() < 0.1 ? '2030-12-31' : null,
      minQty: rand() < 0.05 ? '10' : null,
    });
    upserts.push({ source: 'discount', b24ItemId: i, title: rule.title, rule, status: 'ok', problem: null });
  }
  for (let i = 1; i <= input.offers; i++) {
    const offer = ZSpecialOffer.parse({
      id: i,
      title: `Акция ${i}`,
      audience: rand() < 0.7 ? { kind: 'all' } : { kind: 'dealer_group', group: pick(dealerGroups) },
      target: rand() < 0.5 ? { kind: 'brand', brand: pick(input.brands) } : { kind: 'group', groupId: String(pick(input.groupIds)) },
      kind: 'percent',
      value: String(3 + Math.floor(rand() * 10)),
      conditions: 'при заказе до конца месяца',
    });
    upserts.push({ source: 'offer', b24ItemId: i, title: offer.title, rule: offer, status: 'ok', problem: null });
  }
  for (const u of upserts) await repo.upsert(portalId, u);
  return upserts.length;
}
