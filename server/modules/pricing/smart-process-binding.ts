import { z } from 'zod';
import type { B24Client } from '../../bitrix24/index.js';

/**
 * Where the Discounts and Special offers smart processes live in a portal. The installer's reconciler records, per
 * manifest key, the entityTypeId it created and the REST name of every field it added:
 * `settings.installer.smartProcesses.<key> = { entityTypeId, fields: { <fieldKey>: { restName } } }`
 * (installer/manifest.ts keys `discounts` / `offers`; its reader is installer/installed.ts → readInstalled). This
 * module reads that contract itself with a zod schema, so it neither waits for nor imports the installer.
 */
export type RuleProcessKey = 'discounts' | 'offers';

export const RULE_FIELD_KEYS = ['audience', 'dealer', 'dealerGroup', 'target', 'targetRef', 'kind', 'value', 'priority', 'validFrom', 'validTo', 'minQty', 'active', 'conditions', 'banner'] as const;
export type RuleFieldKey = (typeof RULE_FIELD_KEYS)[number];

const ZInstalledProcess = z.object({
  entityTypeId: z.number().int().positive(),
  fields: z.record(z.string(), z.object({ restName: z.string().min(1) }).passthrough()).default({}),
});

export interface SmartProcessBinding {
  key: RuleProcessKey;
  entityTypeId: number;
  /** Field key → REST name (ufCrm12Audience). */
  fields: Partial<Record<RuleFieldKey, string>>;
}

/** The binding of one process from portal settings, or null when the installer has not created it (yet). */
export function readRuleProcessBinding(settings: Record<string, unknown>, key: RuleProcessKey): SmartProcessBinding | null {
  const installer = settings.installer as { smartProcesses?: Record<string, unknown> } | undefined;
  const parsed = ZInstalledProcess.safeParse(installer?.smartProcesses?.[key]);
  if (!parsed.success) return null;
  const fields: SmartProcessBinding['fields'] = {};
  for (const k of RULE_FIELD_KEYS) {
    const restName = parsed.data.fields[k]?.restName;
    if (restName) fields[k] = restName;
  }
  return { key, entityTypeId: parsed.data.entityTypeId, fields };
}

/** Enumeration field key → (value id → XML_ID): rules are mapped by the stable xmlIds of the manifest, not by labels. */
export type EnumMaps = Partial<Record<RuleFieldKey, Map<number, string>>>;

/**
 * Reads the enumeration values of a process's fields. crm.item.fields gives each field's UPPER_CASE name but lists
 * enum items without XML_ID, so the ids come from userfieldconfig.list (by fieldName) and the values with their
 * xmlId from userfieldconfig.get (api-reference/crm/universal/userfieldconfig/userfieldconfig-get.md).
 */
export async function loadEnumMaps(client: B24Client, binding: SmartProcessBinding): Promise<EnumMaps> {
  const answer = await client.call<{ fields: Record<string, { type?: string; upperName?: string }> }>('crm.item.fields', { entityTypeId: binding.entityTypeId });
  const enumFields = (Object.entries(binding.fields) as Array<[RuleFieldKey, string]>).flatMap(([key, restName]) => {
    const f = answer.fields[restName];
    return f?.type === 'enumeration' && f.upperName ? [{ key, upperName: f.upperName }] : [];
  });
  const listed = await client.callMany<{ fields: Array<{ id: string | number }> }>(
    enumFields.map((f) => ({ method: 'userfieldconfig.list', params: { moduleId: 'crm', filter: { fieldName: f.upperName } } })),
  );
  const ids = listed.map((o) => (o.ok ? o.result.fields[0]?.id : undefined));
  const got = await client.callMany<{ field: { enum?: Array<{ id: string | number; xmlId?: string | null }> } }>(
    ids.flatMap((id) => (id === undefined ? [] : [{ method: 'userfieldconfig.get', params: { moduleId: 'crm', id } }])),
  );
  const maps: EnumMaps = {};
  let g = 0;
  enumFields.forEach((f, i) => {
    if (ids[i] === undefined) return;
    const outcome = got[g++]!;
    if (!outcome.ok) return;
    maps[f.key] = new Map((outcome.result.field.enum ?? []).filter((e) => e.xmlId).map((e) => [Number(e.id), String(e.xmlId)]));
  });
  return maps;
}
