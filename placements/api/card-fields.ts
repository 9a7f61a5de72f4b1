import { SMART_PROCESSES, type SmartProcessKey } from '../../installer/manifest.js';
import type { B24Client } from '../../server/bitrix24/index.js';
import { enumKeyOf, loadEnumOptions, ufString, type InstalledSmartProcess } from '../../server/modules/dealers/index.js';

export type Lang = 'ru' | 'en';

export interface StageInfo {
  id: string;
  key: string | null;
  name: string;
  color: string | null;
  semantics: 'P' | 'S' | 'F' | null;
}

/** Stage of an item, named from the manifest in the user's language (the portal's own names may be edited; ours are stable). */
export function stageInfo(spKey: SmartProcessKey, sp: InstalledSmartProcess, stageId: unknown, lang: Lang): StageInfo {
  const id = String(stageId ?? '');
  const specs = SMART_PROCESSES.find((s) => s.key === spKey)?.stages ?? [];
  const recordedKey = Object.entries(sp.stages).find(([, statusId]) => statusId === id)?.[0];
  const code = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id;
  const spec = specs.find((s) => s.key === recordedKey) ?? specs.find((s) => s.code === code);
  return spec ? { id, key: spec.key, name: spec.name[lang], color: spec.color, semantics: spec.semantics } : { id, key: null, name: code || '—', color: null, semantics: null };
}

/** A field of ours on an item, by our key (null when the installer did not record it or the item has no value). */
export function fieldOf(item: Record<string, unknown>, sp: InstalledSmartProcess, key: string): unknown {
  const name = sp.fields[key]?.restName;
  return name ? item[name] : undefined;
}

export const textOf = (item: Record<string, unknown>, sp: InstalledSmartProcess, key: string): string | null => ufString(fieldOf(item, sp, key));

/** An enumeration field as {key, label} in the user's language (labels from the manifest). */
export async function enumFieldOf(client: B24Client, portalId: number, spKey: SmartProcessKey, sp: InstalledSmartProcess, item: Record<string, unknown>, key: string, lang: Lang): Promise<{ key: string; label: string } | null> {
  const raw = fieldOf(item, sp, key);
  if (raw === null || raw === undefined || raw === '' || !sp.fields[key]) return null;
  const options = await loadEnumOptions(client, portalId, sp, key);
  const optionKey = enumKeyOf(options, raw);
  const spec = SMART_PROCESSES.find((s) => s.key === spKey)?.fields.find((f) => f.key === key)?.options?.find((o) => o.xmlId === optionKey);
  return optionKey ? { key: optionKey, label: spec?.label[lang] ?? optionKey } : { key: String(raw), label: String(raw) };
}

export const idOf = (v: unknown): number | null => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
};

/** Dates come as ISO 8601 with offset (crm.item.*) or YYYY-MM-DD; we pass them on as given, empty as null. */
export const dateOf = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
