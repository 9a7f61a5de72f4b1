import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { RetryJobError, type ScheduleDefinition } from '../../jobs/index.js';
import { tryReadInstalled } from '../../../installer/index.js';
import { syncAllPricingRules, syncPricingRuleItem, readRuleProcessBinding, RULE_PROCESSES, type PriceQuote, type RuleSource } from '../pricing/index.js';
import { onAppEvent } from '../portals/index.js';
import { mediaLinksFor } from '../media/media-links.js';
import { bumpChangeStamp, type ChangePart } from './catalog.repository.js';
import { quoteSlot, visibleSlot } from './catalog.service.js';
import { PortalCatalog, type PortalCatalogOptions } from './portal-catalog.js';
import { createRuleResolver } from './rule-resolver.js';

/**
 * The catalog module's entry points for the rest of the app: the per-portal catalog of this process, the quote the
 * cart and orders use, the change notification writers of the read model call, and the wiring of jobs and events.
 */

const registries = new WeakMap<AppContext, Map<number, PortalCatalog>>();
const configured = new WeakMap<AppContext, Omit<PortalCatalogOptions, 'readSettings'>>();

function registry(ctx: AppContext): Map<number, PortalCatalog> {
  let r = registries.get(ctx);
  if (!r) registries.set(ctx, (r = new Map()));
  return r;
}

/** Options for this context's catalogs (tests shorten the check interval). Call before the first catalogFor. */
export function configureCatalog(ctx: AppContext, options: Omit<PortalCatalogOptions, 'readSettings'>): void {
  configured.set(ctx, options);
}

/** The portal's catalog in this process, loaded on first use (the first call waits for the load). */
export async function catalogFor(ctx: AppContext, portalId: number): Promise<PortalCatalog> {
  const r = registry(ctx);
  let catalog = r.get(portalId);
  if (!catalog) {
    const links = mediaLinksFor(ctx.config.app.secretKey);
    catalog = new PortalCatalog(portalId, ctx.db, ctx.logger.child({ module: 'catalog' }), {
      pictureLink: (portal, productId, n) => links.picture(portal, productId, n),
      ...configured.get(ctx),
      readSettings: async () => (await ctx.portals.findById(portalId))?.settings ?? {},
    });
    r.set(portalId, catalog);
  }
  try {
    await catalog.ready();
  } catch (err) {
    r.delete(portalId);
    throw err;
  }
  return catalog;
}

/** The loaded catalog, if this process has one (no load). */
export function peekCatalog(ctx: AppContext, portalId: number): PortalCatalog | undefined {
  return registry(ctx).get(portalId);
}

/**
 * Tells every instance that part of what the catalog holds changed: bumps the stamp in the database (others see it
 * within their check interval) and checks at once here. The ERP sync's recorded runs are noticed without this; call
 * it after writing the read model, pricing rules or dealers any other way.
 */
export async function notifyCatalogChanged(ctx: AppContext, portalId: number, parts: ChangePart[]): Promise<void> {
  for (const part of parts) await bumpChangeStamp(ctx.db, portalId, part);
  await peekCatalog(ctx, portalId)?.check();
}

/** Drops a dealer's cached pricing in this process now (the dealers table's own change reaches other instances). */
export function invalidateDealerPricing(ctx: AppContext, portalId: number, dealerId: number): void {
  peekCatalog(ctx, portalId)?.pricing.invalidateDealer(dealerId);
}

/**
 * A line's exact price for the cart and orders: the dealer's price type, rules and offers on the portal's pricing
 * day, with the breakdown. Throws NOT_FOUND for an unknown dealer or a product not on sale, UNPROCESSABLE when the
 * product has no price in the dealer's price type. dealerId null prices at base prices (staff without a dealer).
 */
export async function priceQuote(ctx: AppContext, portalId: number, dealerId: number | null, productId: number, qty: string): Promise<PriceQuote> {
  const catalog = await catalogFor(ctx, portalId);
  const pricing = catalog.dealerPricing(dealerId);
  if (!pricing) throw new AppError('NOT_FOUND', `There is no dealer ${dealerId} in this portal`);
  const slot = visibleSlot(catalog, productId, false);
  const quote = quoteSlot(catalog, pricing, slot, qty);
  if (!quote) throw new AppError('UNPROCESSABLE', `Product ${productId} has no price in the price type of this dealer`);
  return quote;
}

export const PRICING_JOB_KINDS = { syncAll: 'pricing.rules.sync', syncItem: 'pricing.rule.sync' } as const;

/** Hourly full sync of the reference book: catches events Bitrix24 never delivered and re-resolves targets. */
export const CATALOG_SCHEDULES: ScheduleDefinition[] = [{ name: 'pricing-rules-full', cron: '17 * * * *', kind: PRICING_JOB_KINDS.syncAll, payload: () => ({}), maxAttempts: 3 }];

/** A full rule sync; `reason` keeps syncs of different causes in one minute apart (install, update, demo seeding …). */
export function enqueuePricingRulesSync(ctx: AppContext, portalId: number, reason = 'manual') {
  return ctx.jobs.enqueue({ kind: PRICING_JOB_KINDS.syncAll, portalId, payload: {}, dedupKey: `${portalId}:${reason}:${new Date().toISOString().slice(0, 16)}`, maxAttempts: 12 });
}

const ITEM_EVENTS = { ONCRMDYNAMICITEMADD: false, ONCRMDYNAMICITEMUPDATE: false, ONCRMDYNAMICITEMDELETE: true } as const;

/**
 * Wires the module into a context: job handlers (full and single-item rule sync), event listeners for the Discounts
 * and Special offers smart processes (they only enqueue: events are not retried by Bitrix24), a full rule sync on
 * install and update, and forgetting a portal's catalog on uninstall. Call once per context, before startWorkers.
 */
export function installCatalogModule(ctx: AppContext): void {
  const log = ctx.logger.child({ module: 'pricing' });
  const depsFor = async (portalId: number) => {
    const portal = await ctx.portals.findById(portalId);
    if (!portal) throw new Error(`portal ${portalId} is gone`);
    // On a new portal the installer's job may not have created the Discounts and Special offers processes yet: wait
    // for it rather than finish with nothing read (a finished job would also swallow the next enqueue of the minute).
    if (!tryReadInstalled(portal.settings)) throw new RetryJobError(`the installer has not finished on portal ${portalId} yet`, 15_000);
    const catalog = await catalogFor(ctx, portalId);
    // Rules resolve their targets against the catalog as the read model has it now, not as it was at first load.
    await catalog.check();
    return { catalog, deps: { db: ctx.db, logger: log, client: ctx.b24.forPortal(portalId), settings: portal.settings, resolver: createRuleResolver(catalog.snapshot!, ctx.dealers) } };
  };

  ctx.jobs.registerHandler(PRICING_JOB_KINDS.syncAll, async (job) => {
    if (job.portalId === null) throw new Error('a pricing rules sync needs a portal');
    const { catalog, deps } = await depsFor(job.portalId);
    const results = await syncAllPricingRules(deps, job.portalId);
    await catalog.pricing.refreshRules();
    return results.map((r) => ({ source: r.source, entityTypeId: r.entityTypeId, received: r.received, changed: r.changed, deleted: r.deleted, problems: r.problems.length }));
  });

  ctx.jobs.registerHandler<{ source: RuleSource; itemId: number; deleted?: boolean }>(PRICING_JOB_KINDS.syncItem, async (job) => {
    if (job.portalId === null) throw new Error('a pricing rule sync needs a portal');
    const { catalog, deps } = await depsFor(job.portalId);
    const result = await syncPricingRuleItem(deps, job.portalId, job.payload);
    if (result.changed) await catalog.pricing.refreshRules();
    return result;
  });

  for (const [name, deleted] of Object.entries(ITEM_EVENTS)) {
    onAppEvent(ctx, name, async (c, event) => {
      const fields = (event.data.FIELDS ?? {}) as Record<string, unknown>;
      const entityTypeId = Number(fields.ENTITY_TYPE_ID);
      const itemId = Number(fields.ID);
      if (!Number.isInteger(itemId) || itemId <= 0) return;
      const portal = await c.portals.findById(event.portalId);
      if (!portal) return;
      for (const { key, source } of RULE_PROCESSES) {
        if (readRuleProcessBinding(portal.settings, key)?.entityTypeId !== entityTypeId) continue;
        await c.jobs.enqueue({
          kind: PRICING_JOB_KINDS.syncItem,
          portalId: event.portalId,
          payload: { source, itemId, deleted },
          // A duplicate delivery of one event is one job; a later change of the item is a new one.
          dedupKey: `${source}:${itemId}:${name}:${event.ts ?? Date.now()}`,
          maxAttempts: 8,
        });
      }
    });
  }

  ctx.hooks.portalInstalled.push((portal) => void enqueuePricingRulesSync(ctx, portal.id, 'install'));
  ctx.hooks.appUpdated.push((portal) => void enqueuePricingRulesSync(ctx, portal.id, 'update'));
  ctx.hooks.portalUninstalled.push((portal) => void registry(ctx).delete(portal.id));
}
