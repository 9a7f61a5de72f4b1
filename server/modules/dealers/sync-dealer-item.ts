import { isB24Error, type B24Call, type B24Client } from '../../bitrix24/index.js';
import type { AppContext } from '../../context.js';
import type { Dealer, DealerLegalEntity } from './dealer.types.js';
import { enumKeyOf, loadEnumOptions } from './enum-options.js';
import { createErpCustomersRepository, matchErpCustomer } from './erp-customers.repository.js';
import { requireSmartProcess } from './installed-smart-process.js';
import { mapDealerItem } from './map-dealer-item.js';

export type DealerSyncResult = { status: 'upserted'; dealer: Dealer; legalEntities: DealerLegalEntity[] } | { status: 'removed'; itemId: number };

interface CompanyFacts {
  companyId: number;
  name: string;
  inn: string | null;
  kpp: string | null;
}

/**
 * Reads the companies behind a dealer (the main one and the holding's legal entities) with their requisites
 * (crm.company.get, crm.requisite.list with ENTITY_TYPE_ID 4), in batches. A company that no longer exists is skipped.
 */
async function readCompanies(client: B24Client, companyIds: number[]): Promise<CompanyFacts[]> {
  if (companyIds.length === 0) return [];
  const calls: B24Call[] = companyIds.flatMap((id) => [
    { method: 'crm.company.get', params: { id } },
    { method: 'crm.requisite.list', params: { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: id }, select: ['ID', 'RQ_INN', 'RQ_KPP', 'RQ_COMPANY_NAME'], order: { SORT: 'ASC', ID: 'ASC' } } },
  ]);
  const outcomes = await client.callMany<unknown>(calls);
  const facts: CompanyFacts[] = [];
  companyIds.forEach((companyId, i) => {
    const company = outcomes[i * 2];
    const requisites = outcomes[i * 2 + 1];
    if (!company?.ok) {
      if (company && !company.ok && company.error.kind !== 'not_found') throw company.error;
      return;
    }
    const c = company.result as Record<string, unknown>;
    const rq = requisites?.ok && Array.isArray(requisites.result) ? (requisites.result as Array<Record<string, unknown>>) : [];
    const withInn = rq.find((r) => typeof r.RQ_INN === 'string' && r.RQ_INN.trim() !== '');
    facts.push({
      companyId,
      name: String(c.TITLE ?? withInn?.RQ_COMPANY_NAME ?? `#${companyId}`),
      inn: withInn ? String(withInn.RQ_INN).trim() : null,
      kpp: withInn && typeof withInn.RQ_KPP === 'string' && withInn.RQ_KPP.trim() !== '' ? withInn.RQ_KPP.trim() : null,
    });
  });
  return facts;
}

/**
 * Brings one Dealers item into the read model: the item (crm.item.get with the app token, field names from what the
 * installer recorded), its company and the holding's legal entities with INN/KPP, each legal entity linked to its ERP
 * customer by INN where the ERP read model has it. An item that is gone is removed with its users and legal entities.
 */
export async function syncDealerItem(ctx: AppContext, portalId: number, itemId: number): Promise<DealerSyncResult> {
  const portal = await ctx.portals.findById(portalId);
  if (!portal) throw new Error(`portal ${portalId} not found`);
  const sp = requireSmartProcess(portal.settings, 'dealers');
  const client = ctx.b24.forPortal(portalId);

  let item: Record<string, unknown>;
  try {
    const got = await client.call<{ item?: Record<string, unknown> }>('crm.item.get', { entityTypeId: sp.entityTypeId, id: itemId });
    if (!got.item) throw new Error('crm.item.get answered without an item');
    item = got.item;
  } catch (err) {
    if (isB24Error(err) && err.kind === 'not_found') {
      await ctx.dealers.removeByItemId(portalId, itemId);
      return { status: 'removed', itemId };
    }
    throw err;
  }

  const groupOptions = sp.fields.dealerGroup ? await loadEnumOptions(client, portalId, sp, 'dealerGroup') : {};
  const mapped = mapDealerItem(item, sp, portalId, (key, value) => (key === 'dealerGroup' ? enumKeyOf(groupOptions, value) : null));
  const companies = await readCompanies(client, mapped.companyIds);
  const erp = await createErpCustomersRepository(ctx.db.sequelize).findByInns(portalId, companies.map((c) => c.inn ?? ''));

  const entities: Array<Omit<DealerLegalEntity, 'id' | 'dealerId'>> = companies.map((c) => ({
    companyId: c.companyId,
    name: c.name,
    inn: c.inn,
    kpp: c.kpp,
    erpCustomerId: matchErpCustomer(erp, c.inn, c.kpp)?.erpId ?? null,
    isMain: c.companyId === mapped.dealer.companyId,
  }));
  // The item's own ERP id wins; without one, the main legal entity's ERP counterparty is the dealer's.
  const erpCustomerId = mapped.dealer.erpCustomerId ?? entities.find((e) => e.isMain)?.erpCustomerId ?? null;
  const dealer = await ctx.dealers.upsertFromItem({ ...mapped.dealer, erpCustomerId });
  const legalEntities = await ctx.dealers.replaceLegalEntities(portalId, dealer.id, entities);
  return { status: 'upserted', dealer, legalEntities };
}
