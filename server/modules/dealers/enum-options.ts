import type { B24Client } from '../../bitrix24/index.js';
import { SMART_PROCESSES } from '../../../installer/manifest.js';
import type { InstalledSmartProcess } from './installed-smart-process.js';

/**
 * crm.item.* returns an enumeration UF as the option's numeric id; our code speaks in the manifest's stable xmlIds
 * (`A`, `PARTNER`, `pickup`). When the installer recorded the id → xmlId map we use it; otherwise we read it once from
 * userfieldconfig.list/get (api-reference/crm/universal/userfieldconfig/*) and keep it for a while.
 */
const cache = new Map<string, { at: number; options: Record<string, string> }>();
const TTL_MS = 10 * 60_000;

export function ufNameOf(sp: InstalledSmartProcess, fieldKey: string): string | null {
  const recorded = sp.fields[fieldKey]?.ufName;
  if (recorded) return recorded;
  const spec = SMART_PROCESSES.find((s) => s.key === sp.key)?.fields.find((f) => f.key === fieldKey);
  return spec && sp.typeId ? `UF_CRM_${sp.typeId}_${spec.code}` : null;
}

export async function loadEnumOptions(client: B24Client, portalId: number, sp: InstalledSmartProcess, fieldKey: string, now = Date.now()): Promise<Record<string, string>> {
  const recorded = sp.fields[fieldKey]?.enum;
  if (recorded && Object.keys(recorded).length > 0) return recorded;
  const cacheKey = `${portalId}:${sp.entityTypeId}:${fieldKey}`;
  const hit = cache.get(cacheKey);
  if (hit && now - hit.at < TTL_MS) return hit.options;
  let id = sp.fields[fieldKey]?.id ?? null;
  if (!id) {
    const ufName = ufNameOf(sp, fieldKey);
    if (!ufName) return {};
    const listed = await client.call<{ fields?: Array<{ id: string | number; fieldName: string }> }>('userfieldconfig.list', {
      moduleId: 'crm',
      filter: { entityId: `CRM_${sp.typeId}`, fieldName: ufName },
    });
    id = Number(listed.fields?.find((f) => f.fieldName === ufName)?.id ?? 0) || null;
  }
  if (!id) return {};
  const got = await client.call<{ field?: { enum?: Array<{ id: string | number; xmlId?: string | null; value?: string }> } }>('userfieldconfig.get', { moduleId: 'crm', id });
  const options = Object.fromEntries((got.field?.enum ?? []).map((e) => [String(e.id), String(e.xmlId || e.value || e.id)]));
  cache.set(cacheKey, { at: now, options });
  return options;
}

/** Our option key for a stored enumeration value, and the reverse for writing. */
export function enumKeyOf(options: Record<string, string>, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return options[String(value)] ?? null;
}

export function enumIdOf(options: Record<string, string>, key: string): string | null {
  return Object.entries(options).find(([, xmlId]) => xmlId === key)?.[0] ?? null;
}

/** Tests and the installer's re-run drop what was cached for a portal. */
export function forgetEnumOptions(portalId?: number): void {
  for (const key of [...cache.keys()]) if (portalId === undefined || key.startsWith(`${portalId}:`)) cache.delete(key);
}
