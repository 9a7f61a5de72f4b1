import { Router, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { parse } from '../../http/validate.js';
import { isStaffRole, requirePermission, scopeOf } from '../access/index.js';
import { dealerApiGuard } from '../carts/api-guard.js';
import { createPricingRulesRepository, type DealerPricing } from '../pricing/index.js';
import { catalogFor } from './catalog-module.js';
import { groupTree, listProducts, priceListRows, productCard, productPageJson, quoteSlot, suggest, visibleSlot } from './catalog.service.js';
import { ZBreakdownQuery, ZCardQuery, ZDealerParam, ZPriceListQuery, ZProductIdParam, ZProductsQuery, ZSuggestQuery } from './catalog.schemas.js';
import { writePriceListCsv, writePriceListJson, writePriceListXlsx, type PriceListMeta } from './price-list-writers.js';
import { listActiveOffers } from './list-offers.js';
import type { PortalCatalog } from './portal-catalog.js';

/**
 * The catalog, prices and search API (mounted under /api; its own guard checks the session and the dealer user). Whose prices: a dealer user gets
 * their own dealer's, always; staff pass `dealerId` to see a dealer's prices (act-as-dealer comes later) or get base
 * prices. Every query is the session's portal's; goods not on sale are never listed.
 */
export function catalogRoutes(ctx: AppContext): Router {
  const router = Router();
  // A dealer user switched off or moved to another dealer loses the catalog at once, as they lose carts and orders.
  router.use(['/catalog', '/search', '/pricing'], ...dealerApiGuard(ctx));
  const read = requirePermission('catalog.read');

  /** The catalog of the session's portal and the viewer's pricing. */
  async function viewer(res: Response, requestedDealerId: number | undefined): Promise<{ catalog: PortalCatalog; pricing: DealerPricing; isStaff: boolean }> {
    const { session } = scopeOf(res);
    const isStaff = isStaffRole(session.role);
    let dealerId: number | null = null;
    if (isStaff) dealerId = requestedDealerId ?? null;
    else {
      if (!session.dealerId) throw new AppError('FORBIDDEN', 'Your user is not linked to a dealer; ask your manager to link it');
    }
    const catalog = await catalogFor(ctx, session.portalId);
    if (!isStaff) {
      // Sessions name the dealer by its Dealers item; prices are keyed by dealers.id.
      const own = catalog.pricing.dealers.idOfItem(session.dealerId!);
      if (own === undefined) throw new AppError('FORBIDDEN', 'Your dealer is not known to DealerHub yet; ask your manager');
      if (requestedDealerId !== undefined && requestedDealerId !== own) {
        throw new AppError('FORBIDDEN', 'Dealer users see their own dealer’s prices only', { details: [{ field: 'dealerId', message: 'leave it out or pass your own dealer' }] });
      }
      dealerId = own;
    }
    const pricing = catalog.dealerPricing(dealerId);
    if (!pricing) {
      throw isStaff
        ? new AppError('NOT_FOUND', `There is no dealer ${dealerId} in this portal`, { details: [{ field: 'dealerId', message: `no dealer with id ${dealerId}` }] })
        : new AppError('FORBIDDEN', 'Your dealer is not known to DealerHub yet; ask your manager');
    }
    return { catalog, pricing, isStaff };
  }

  const noStore = (res: Response) => res.setHeader('Cache-Control', 'private, no-store');

  /**
   * Sends JSON text as is: prices are per dealer and never cached (no-store), so the ETag express would hash every
   * 20-40 KB page for is pure cost; the facets part of a products page is serialized once per cached match.
   */
  const sendJson = (res: Response, text: string) => {
    noStore(res);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  };

  router.get('/catalog/groups', read, async (req, res) => {
    const { session } = scopeOf(res);
    const catalog = await catalogFor(ctx, session.portalId);
    res.json({ groups: groupTree(catalog) });
  });

  /** Warehouses and their cities, for the stock scope selector of the catalog (stock per city or per warehouse). */
  router.get('/catalog/warehouses', read, async (_req, res) => {
    const { session } = scopeOf(res);
    const catalog = await catalogFor(ctx, session.portalId);
    const warehouses = [...catalog.snapshot!.index.warehouseList].map((w) => ({ id: w.id, name: w.name, city: w.city })).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
    const cities = [...new Set(warehouses.map((w) => w.city).filter((c): c is string => Boolean(c)))].sort((a, b) => a.localeCompare(b, 'ru'));
    res.json({ warehouses, cities });
  });

  router.get('/catalog/products', read, async (req, res) => {
    const q = parse(ZProductsQuery, req.query);
    const { catalog, pricing } = await viewer(res, q.dealerId);
    sendJson(
      res,
      productPageJson(listProducts(catalog, pricing, {
        groupId: q.group,
        q: q.q || undefined,
        filters: q.filters,
        inStock: q.inStock,
        city: q.city,
        warehouseId: q.warehouse,
        sort: q.sort,
        dir: q.dir,
        page: q.page,
        pageSize: q.pageSize,
      })),
    );
  });

  router.get('/catalog/products/:id', read, async (req, res) => {
    const { id } = parse(ZProductIdParam, req.params);
    const q = parse(ZCardQuery, req.query);
    const { catalog, pricing, isStaff } = await viewer(res, q.dealerId);
    sendJson(res, JSON.stringify(productCard(catalog, pricing, id, { qty: q.qty, isStaff, scope: { city: q.city ?? null, warehouseId: q.warehouse ?? null } })));
  });

  router.get('/catalog/prices/breakdown', requirePermission('prices.breakdown'), async (req, res) => {
    const q = parse(ZBreakdownQuery, req.query);
    const { catalog, pricing, isStaff } = await viewer(res, q.dealerId);
    const slot = visibleSlot(catalog, q.productId, isStaff);
    const quote = quoteSlot(catalog, pricing, slot, q.qty);
    if (!quote) throw new AppError('UNPROCESSABLE', `Product ${q.productId} has no price in the price type ${pricing.priceType?.name ?? '(none)'}`);
    noStore(res);
    res.json({ ...quote, productId: q.productId, priceType: pricing.priceType, dealerId: pricing.dealerId });
  });

  /** Special offers valid today for the viewer's dealer (the cabinet home's promotions banner). */
  router.get('/catalog/offers', read, async (req, res) => {
    const q = parse(ZDealerParam, req.query);
    const { catalog, pricing } = await viewer(res, q.dealerId);
    noStore(res);
    res.json({ items: listActiveOffers(catalog, pricing), today: catalog.today() });
  });

  router.get('/search/suggest', read, async (req, res) => {
    const q = parse(ZSuggestQuery, req.query);
    const { catalog, pricing } = await viewer(res, q.dealerId);
    sendJson(res, JSON.stringify(suggest(catalog, pricing, q.q, q.limit)));
  });

  router.get('/catalog/price-list', read, async (req, res) => {
    const q = parse(ZPriceListQuery, req.query);
    const { catalog, pricing } = await viewer(res, q.dealerId);
    if (q.group && !catalog.snapshot!.index.group(q.group)) throw new AppError('NOT_FOUND', `There is no product group ${q.group}`, { details: [{ field: 'group', message: `no product group with id ${q.group}` }] });
    const date = catalog.today();
    const meta: PriceListMeta = {
      dealer: pricing.dealerId === null ? null : { id: pricing.dealerId, title: pricing.dealerTitle ?? '' },
      priceType: pricing.priceType ? { id: pricing.priceType.id, name: pricing.priceType.name, currency: pricing.priceType.currency } : null,
      date,
      generatedAt: new Date().toISOString(),
    };
    const rows = priceListRows(catalog, pricing, { groupId: q.group, inStock: q.inStock });
    const name = `price-list-${pricing.dealerId ?? 'base'}-${date}`;
    noStore(res);
    if (q.format === 'json') {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      await writePriceListJson(res, meta, rows);
    } else if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      await writePriceListCsv(res, rows);
    } else {
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
      await writePriceListXlsx(res, meta, rows);
    }
    res.end();
  });

  /** Discounts and offers that cannot apply (a target or dealer that points at nothing), for the admin. */
  router.get('/pricing/rules/problems', requirePermission('dealer.manage'), async (_req, res) => {
    const { session } = scopeOf(res);
    const rules = await createPricingRulesRepository(ctx.db).problems(session.portalId);
    res.json({ items: rules.map((r) => ({ source: r.source, b24ItemId: r.b24ItemId, title: r.title, status: r.status, problem: r.problem, updatedAt: r.updatedAt.toISOString() })) });
  });

  /** What this instance holds for the portal (sizes, load time, reload counters), for the sync health page. */
  router.get('/catalog/status', requirePermission('sync.admin'), async (_req, res) => {
    const { session } = scopeOf(res);
    const catalog = await catalogFor(ctx, session.portalId);
    const s = catalog.snapshot!;
    res.json({
      products: s.size,
      groups: s.groups.size,
      priceTypes: [...s.priceTypes.values()].map((c) => ({ id: c.type.id, name: c.type.name, currency: c.type.currency, prices: c.count })),
      warehouses: s.index.warehouseList.length,
      rules: catalog.pricing.book.size,
      loadedAt: s.loadedAt.toISOString(),
      generation: s.generation,
      stats: catalog.stats,
    });
  });

  return router;
}
