import type { GeneratedCatalog } from '../sandbox/erp/catalog/index.js';
import type { SandboxPortal } from '../sandbox/index.js';
import { tryReadInstalled, type Installed } from '../installer/index.js';
import type { AppContext } from './context.js';
import { selectRows } from './jobs/sql.js';
import { enumIdOf, loadEnumOptions } from './modules/dealers/index.js';
import { attachDefaultAutomation } from './modules/orders/index.js';
import { enqueuePricingRulesSync } from './modules/catalog/index.js';

/**
 * Demo data for `npm start`: what a manufacturer's admin would set up on day one, done through the portal's REST
 * with the app's own token (as the admin would in the CRM), so everything downstream — events, dealer sync, pricing
 * rules, robots — runs exactly as on a real portal. Runs once per sandbox portal (settings.demo.seededAt).
 */
export async function seedSandboxDemo(ctx: AppContext, portal: SandboxPortal, catalog: GeneratedCatalog | null, timeoutMs = 120_000): Promise<'seeded' | 'already' | 'not-installed'> {
  const tenant = await ctx.portals.findByMemberId(portal.memberId);
  if (!tenant) return 'not-installed';
  if ((tenant.settings.demo as { seededAt?: string } | undefined)?.seededAt) return 'already';
  const installed = await waitForInstaller(ctx, tenant.id, timeoutMs);
  if (!installed) return 'not-installed';
  // The admin's browser would now run the install page's installFinish; nobody opens it under `npm start`, and until
  // then the portal delivers no events (settings/app-installation/installation-finish.md). Do what the page does.
  portal.markInstallFinished(ctx.config.app.clientId);

  attachDefaultAutomation(portal, installed);
  const client = ctx.b24.forPortal(tenant.id);
  const dealers = installed.smartProcess('dealers');
  const groupOptions = await loadEnumOptions(client, tenant.id, dealers, 'dealerGroup');
  const f = (key: string) => dealers.field(key).restName;
  const seeded = portal.users.dealers;
  const dealerItemIds: number[] = [];
  for (const [i, d] of seeded.entries()) {
    const customer = catalog?.customers[i];
    const item = await client.call<{ item: { id: number } }>('crm.item.add', {
      entityTypeId: dealers.entityTypeId,
      fields: {
        title: d.title,
        companyId: d.companyId,
        stageId: dealers.stage('active'),
        assignedById: d.managerId,
        [f('erpCustomerId')]: customer?.ref ?? '',
        [f('priceType')]: customer?.priceTypeRef ?? '',
        [f('dealerGroup')]: enumIdOf(groupOptions, i === 0 ? 'A' : 'B'),
        [f('city')]: customer?.city ?? '',
        [f('creditLimit')]: i === 0 ? '1500000|RUB' : '300000|RUB',
        [f('paymentTermDays')]: 30,
        [f('blockOverLimit')]: 'Y',
        [f('blockOverdueDays')]: 15,
        [f('personalManager')]: d.managerId,
      },
    });
    dealerItemIds.push(item.item.id);
  }
  await seedPricing(ctx, tenant.id, installed, catalog, dealerItemIds);
  // Their add events are on the way too; one full pull now makes the demo's prices right at once whatever the order.
  // The brand deal names a brand of the ERP catalog: pull the book once the first product sync has landed, or the
  // rule would wait for the hourly sync to find its brand.
  if (catalog) await waitForProductSync(ctx, tenant.id, timeoutMs);
  await enqueuePricingRulesSync(ctx, tenant.id, 'demo');
  await ctx.portals.updateSettings(tenant.id, (s) => ({ ...s, demo: { seededAt: new Date().toISOString(), dealerItemIds } }));
  ctx.logger.info({ dealers: dealerItemIds.length }, 'sandbox demo data seeded');
  return 'seeded';
}

/** Asks `check` every half second until it gives a value, or null after `timeoutMs`. */
async function pollUntil<T>(check: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

function waitForInstaller(ctx: AppContext, portalId: number, timeoutMs: number): Promise<Installed | null> {
  return pollUntil(async () => {
    const portal = await ctx.portals.findById(portalId);
    return portal ? tryReadInstalled(portal.settings) : null;
  }, timeoutMs);
}

function waitForProductSync(ctx: AppContext, portalId: number, timeoutMs: number): Promise<true | null> {
  return pollUntil(async () => {
    const [row] = await selectRows<{ n: number }>(ctx.db, "SELECT COUNT(*) AS n FROM sync_runs WHERE portal_id = :portalId AND entity = 'products' AND status = 'ok'", { portalId });
    return Number(row?.n ?? 0) > 0 ? true : null;
  }, timeoutMs);
}

/** A small, believable discount book: a category discount, a brand deal for the first dealer, a seasonal offer. */
async function seedPricing(ctx: AppContext, portalId: number, installed: Installed, catalog: GeneratedCatalog | null, dealerItemIds: number[]): Promise<void> {
  const client = ctx.b24.forPortal(portalId);
  const discounts = installed.smartProcess('discounts');
  const offers = installed.smartProcess('offers');
  const enums = async (sp: typeof discounts, key: string) => loadEnumOptions(client, portalId, sp, key);
  const [dAudience, dTarget, dKind, dGroup, oAudience, oTarget, oKind] = await Promise.all([
    enums(discounts, 'audience'),
    enums(discounts, 'target'),
    enums(discounts, 'kind'),
    enums(discounts, 'dealerGroup'),
    enums(offers, 'audience'),
    enums(offers, 'target'),
    enums(offers, 'kind'),
  ]);
  const brand = catalog?.brands[0]?.name ?? '';
  const secondBrand = catalog?.brands[1]?.name ?? brand;
  const today = new Date();
  const inDays = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const d = (key: string) => discounts.field(key).restName;
  const o = (key: string) => offers.field(key).restName;
  const calls = [
    {
      method: 'crm.item.add',
      params: {
        entityTypeId: discounts.entityTypeId,
        fields: { title: 'Категория A: 5% на всё', [d('audience')]: enumIdOf(dAudience, 'dealer_group'), [d('dealerGroup')]: enumIdOf(dGroup, 'A'), [d('target')]: enumIdOf(dTarget, 'all'), [d('kind')]: enumIdOf(dKind, 'percent'), [d('value')]: 5, [d('priority')]: 10, [d('active')]: 'Y' },
      },
    },
    {
      method: 'crm.item.add',
      params: {
        entityTypeId: discounts.entityTypeId,
        fields: { title: `${brand}: 12% по договору`, [d('audience')]: enumIdOf(dAudience, 'dealer'), [d('dealer')]: dealerItemIds[0] ?? '', [d('target')]: enumIdOf(dTarget, 'brand'), [d('targetRef')]: brand, [d('kind')]: enumIdOf(dKind, 'percent'), [d('value')]: 12, [d('priority')]: 20, [d('active')]: 'Y' },
      },
    },
    {
      method: 'crm.item.add',
      params: {
        entityTypeId: offers.entityTypeId,
        fields: { title: `Осенняя акция ${secondBrand}`, [o('audience')]: enumIdOf(oAudience, 'all'), [o('target')]: enumIdOf(oTarget, 'brand'), [o('targetRef')]: secondBrand, [o('kind')]: enumIdOf(oKind, 'percent'), [o('value')]: 7, [o('validFrom')]: inDays(-10), [o('validTo')]: inDays(30), [o('banner')]: `−7% на ${secondBrand} до конца месяца`, [o('conditions')]: 'При заказе от 1 шт.', [o('active')]: 'Y' },
      },
    },
  ];
  await client.callMany(calls);
}
