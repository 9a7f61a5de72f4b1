import type { DealerStage, DealerUpsert } from './dealer.types.js';
import { crmLinkId, crmLinkIds, ufBool, ufInt, ufMoney, ufString } from './crm-values.js';
import type { InstalledSmartProcess } from './installed-smart-process.js';

const STAGES: readonly DealerStage[] = ['onboarding', 'active', 'paused', 'closed'];

/** Our stage key of a Dealers item: by the recorded stage ids, else by the code after the pipeline prefix. */
export function dealerStageOf(stageId: unknown, sp: Pick<InstalledSmartProcess, 'stages'>): DealerStage {
  const id = String(stageId ?? '');
  const recorded = Object.entries(sp.stages).find(([, statusId]) => statusId === id)?.[0];
  if (recorded && (STAGES as readonly string[]).includes(recorded)) return recorded as DealerStage;
  const code = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id;
  const byCode = code.toLowerCase();
  return (STAGES as readonly string[]).includes(byCode) ? (byCode as DealerStage) : 'active';
}

export interface MappedDealerItem {
  dealer: DealerUpsert;
  /** The main company first, then the holding's other legal entities; no duplicates. */
  companyIds: number[];
}

/**
 * A Dealers item (crm.item.get `result.item`) → our read-model row. Field names come from what the installer recorded
 * (`fields.<key>.restName`); an enumeration value is turned into our option key by `enumKey`.
 */
export function mapDealerItem(
  item: Record<string, unknown>,
  sp: InstalledSmartProcess,
  portalId: number,
  enumKey: (fieldKey: string, value: unknown) => string | null = () => null,
): MappedDealerItem {
  const field = (key: string): unknown => {
    const name = sp.fields[key]?.restName;
    return name ? item[name] : undefined;
  };
  const companyId = crmLinkId(item.companyId);
  const legal = crmLinkIds(field('legalEntities'));
  const money = ufMoney(field('creditLimit'));
  const manager = ufInt(field('personalManager'));
  const dealerGroupRaw = field('dealerGroup');
  return {
    dealer: {
      portalId,
      b24ItemId: Number(item.id),
      title: ufString(item.title) ?? `#${String(item.id)}`,
      stage: dealerStageOf(item.stageId, sp),
      companyId,
      erpCustomerId: ufString(field('erpCustomerId')),
      priceTypeErpId: ufString(field('priceType')),
      dealerGroup: dealerGroupRaw === null || dealerGroupRaw === undefined || dealerGroupRaw === '' ? null : (enumKey('dealerGroup', dealerGroupRaw) ?? ufString(dealerGroupRaw)),
      city: ufString(field('city')),
      region: ufString(field('region')),
      creditLimit: money?.amount ?? null,
      currency: money?.currency ?? (ufString(item.currencyId) ?? 'RUB'),
      paymentTermDays: ufInt(field('paymentTermDays')),
      blockOverLimit: ufBool(field('blockOverLimit')),
      blockOverdueDays: ufInt(field('blockOverdueDays')),
      managerUserId: manager && manager > 0 ? manager : null,
    },
    companyIds: [...new Set([...(companyId ? [companyId] : []), ...legal])],
  };
}
