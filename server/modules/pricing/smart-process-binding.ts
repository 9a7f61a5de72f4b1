import { tryReadInstalled } from '../../../installer/index.js';
import type { B24Client } from '../../bitrix24/index.js';

/**
 * Where the Discounts and Special offers smart processes live in a portal: the installer's record
 * (settings.installer, read through installer/installed.ts) gives each process's entityTypeId and, per manifest field
 * key, its REST name and userfieldconfig id.
 */
export type RuleProcessKey = 'discounts' | 'offers';

export const RULE_FIELD_KEYS = ['audience', 'dealer', 'dealerGroup', 'target', 'targetRef', 'kind', 'value', 'priority', 'validFrom', 'validTo', 'minQty', 'active', 'conditions', 'banner'] as const;
export type RuleFieldKey = (typeof RULE_FIELD_KEYS)[number];

/** The enumeration fields of the manifest (installer/manifest.ts): mapped by their options' xmlIds. */
const ENUM_FIELDS: RuleFieldKey[] = ['audience', 'dealerGroup', 'target', 'kind'];

export interface SmartProcessBinding {
  key: RuleProcessKey;
  entityTypeId: number;
  /** Field key → REST name (ufCrm12Audience). */
  fields: Partial<Record<RuleFieldKey, string>>;
  /** Field key → userfieldconfig id, for the enumeration fields. */
  fieldIds: Partial<Record<RuleFieldKey, number>>;
}

/** The binding of one process, or null while the installer has not set the portal up. */
export function readRuleProcessBinding(settings: Record<string, unknown>, key: RuleProcessKey): SmartProcessBinding | null {
  const installed = tryReadInstalled(settings);
  if (!installed) return null;
  const sp = installed.smartProcess(key);
  const fields: SmartProcessBinding['fields'] = {};
  const fieldIds: SmartProcessBinding['fieldIds'] = {};
  for (const k of RULE_FIELD_KEYS) {
    const f = sp.fields[k];
    if (!f) continue;
    fields[k] = f.restName;
    fieldIds[k] = f.id;
  }
  return { key, entityTypeId: sp.entityTypeId, fields, fieldIds };
}

/** Enumeration field key → (value id → XML_ID): rules are mapped by the stable xmlIds of the manifest, not by labels. */
export type EnumMaps = Partial<Record<RuleFieldKey, Map<number, string>>>;

/**
 * Reads the options of the process's enumeration fields. crm.item.* answers an enumeration by the option's id and
 * crm.item.fields lists options without XML_ID, so the options come from userfieldconfig.get
 * (api-reference/crm/universal/userfieldconfig/userfieldconfig-get.md), one batch for all four fields.
 */
export async function loadEnumMaps(client: B24Client, binding: SmartProcessBinding): Promise<EnumMaps> {
  const wanted = ENUM_FIELDS.filter((k) => binding.fieldIds[k] !== undefined);
  const got = await client.callMany<{ field: { enum?: Array<{ id: string | number; xmlId?: string | null }> } }>(
    wanted.map((k) => ({ method: 'userfieldconfig.get', params: { moduleId: 'crm', id: binding.fieldIds[k] } })),
  );
  const maps: EnumMaps = {};
  wanted.forEach((k, i) => {
    const outcome = got[i]!;
    if (!outcome.ok) throw outcome.error;
    maps[k] = new Map((outcome.result.field.enum ?? []).filter((e) => e.xmlId).map((e) => [Number(e.id), String(e.xmlId)]));
  });
  return maps;
}
