import type { AppContext } from '../../context.js';
import type { Dealer } from './dealer.types.js';
import { installedSmartProcess } from './installed-smart-process.js';
import { syncDealerItem } from './sync-dealer-item.js';

/**
 * The dealers a CRM company belongs to (as the main company or a holding legal entity). The read model answers
 * first; when it knows none, the portal is asked with the app token (crm.item.list by companyId, then by the
 * legal-entities field) and what it finds is synced, so a dealer created a minute ago is found too.
 */
export async function findDealersForCompany(ctx: AppContext, portalId: number, companyId: number): Promise<Dealer[]> {
  const known = await ctx.dealers.findByCompanyId(portalId, companyId);
  if (known.length > 0) return known;
  const portal = await ctx.portals.findById(portalId);
  const sp = portal ? installedSmartProcess(portal.settings, 'dealers') : null;
  if (!sp) return [];
  const client = ctx.b24.forPortal(portalId);
  const list = async (filter: Record<string, unknown>) =>
    ((await client.call<{ items?: Array<{ id: number | string }> }>('crm.item.list', { entityTypeId: sp.entityTypeId, filter, select: ['id'], order: { id: 'ASC' } })).items ?? []).map((i) => Number(i.id));
  let ids = await list({ companyId });
  const legalField = sp.fields.legalEntities?.restName;
  if (ids.length === 0 && legalField) ids = await list({ [legalField]: companyId });
  const found: Dealer[] = [];
  for (const itemId of ids.slice(0, 20)) {
    const result = await syncDealerItem(ctx, portalId, itemId);
    if (result.status === 'upserted' && (result.dealer.companyId === companyId || result.legalEntities.some((e) => e.companyId === companyId))) found.push(result.dealer);
  }
  return found;
}
