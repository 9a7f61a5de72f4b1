import type { GeneratedCatalog } from '../sandbox/erp/catalog/index.js';
import type { SandboxPortal } from '../sandbox/index.js';
import { tryReadInstalled, type Installed } from '../installer/index.js';
import type { AppContext } from './context.js';
import { enumIdOf, loadEnumOptions } from './modules/dealers/index.js';
import { attachDefaultAutomation } from './modules/orders/index.js';
import { PRICING_JOB_KINDS } from './modules/catalog/index.js';

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
  // Items created before installFinish raise no events (the portal holds them until then): pull the book now.
  // Its own dedup key: the install's sync, enqueued moments earlier in the same minute, ran before these items existed.
  await ctx.jobs.enqueue({ kind: PRICING_JOB_KINDS.syncAll, portalId: tenant.id, payload: {}, dedupKey: `${tenant.id}:demo-seeded`, maxAttempts: 5 });
  await ctx.portals.updateSettings(tenant.id, (s) => ({ ...s, demo: { seededAt: new Date().toISOString(), dealerItemIds } }));
  ctx.logger.info({ dealers: dealerItemIds.length }, 'sandbox demo data seeded');
  return 'seeded';
}

async function waitForInstaller(ctx: AppContext, portalId: number, timeoutMs: number): Promise<Installed | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const portal = await ctx.portals.findById(portalId);
    const installed = portal ? tryReadInstalled(portal.settings) : null;
    if (installed) return installed;
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
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
