import type { FieldSpec, SmartProcessSpec } from '../manifest.js';
import { desiredField, fieldAddParams, type DesiredField, type EntityTypeIds, type Lang } from './desired-state.js';
import { fingerprint } from './fingerprint.js';
import type { Operation } from './operation.types.js';
import { parseField } from './parse-rows.js';
import type { FieldRow } from './portal-state.types.js';

/** userfieldconfig.add / update operations (api-reference/crm/universal/userfieldconfig/). */

export const fieldFingerprintKey = (sp: string, key: string) => `field:${sp}.${key}`;
const label = (f: FieldSpec) => `«${f.label.ru}» / «${f.label.en}»`;

export function planAddField(spec: SmartProcessSpec, field: FieldSpec, typeId: number | null, etis: EntityTypeIds, lang: Lang): Operation {
  const d = desiredField(field, typeId, etis, lang);
  return {
    id: `field.add:${spec.key}.${field.key}`,
    kind: 'addField',
    step: 'fields',
    phase: 2,
    pending: d.pending,
    sp: spec.key,
    call: { method: 'userfieldconfig.add', params: fieldAddParams(`CRM_${typeId ?? '?'}`, d) },
    text: {
      ru: `Добавить поле ${label(field)} ${d.fieldName} (${d.userTypeId}${d.multiple === 'Y' ? ', множественное' : ''}) в [${spec.key}]${d.options.length ? `: ${d.options.map((o) => o.xmlId).join(', ')}` : ''}`,
      en: `Add field ${label(field)} ${d.fieldName} (${d.userTypeId}${d.multiple === 'Y' ? ', multiple' : ''}) to [${spec.key}]${d.options.length ? `: ${d.options.map((o) => o.xmlId).join(', ')}` : ''}`,
    },
    apply(model, outcome) {
      const answered = parseField((outcome.result as { field?: unknown })?.field);
      // The answer is the created field; should it come back without its name, what was sent still describes it.
      const row = answered.fieldName ? answered : { ...answered, fieldName: d.fieldName, userTypeId: d.userTypeId, multiple: d.multiple, mandatory: d.cosmetic.mandatory, showFilter: d.cosmetic.showFilter, settings: d.settings, editFormLabel: d.cosmetic.editFormLabel, enum: d.options.map((o) => ({ id: 0, ...o })) };
      const details = [...model.state.details.values()].find((x) => x.type.id === typeId);
      if (details) details.fields = [...details.fields.filter((f) => f.fieldName !== row.fieldName), row];
      const id = `${spec.key}.${field.key}`;
      if (!model.record.createdByUs.fields.includes(id)) model.record.createdByUs.fields.push(id);
      model.record.fingerprints[fieldFingerprintKey(spec.key, field.key)] = fingerprint(d.cosmetic);
    },
  };
}

const asFlag = (v: string) => (v && v !== 'N' ? 'Y' : 'N');

/** The cosmetic part of a field as it is on the portal, in the shape of DesiredField['cosmetic']. */
function currentCosmetic(row: FieldRow, d: DesiredField): DesiredField['cosmetic'] {
  const enumValues: DesiredField['cosmetic']['enumValues'] = {};
  for (const o of row.enum ?? []) if (d.cosmetic.enumValues[o.xmlId]) enumValues[o.xmlId] = { value: o.value, def: o.def, sort: o.sort };
  return {
    mandatory: row.mandatory,
    showFilter: asFlag(row.showFilter),
    editFormLabel: { ru: row.editFormLabel.ru ?? '', en: row.editFormLabel.en ?? '' },
    helpMessage: d.cosmetic.helpMessage ? { ru: row.helpMessage.ru ?? '', en: row.helpMessage.en ?? '' } : null,
    enumValues,
  };
}

/**
 * What to change on an existing field. Link settings and missing enumeration options are always added (code depends
 * on them); texts change only when the manifest changed them since the last run (recorded hash), so an administrator's
 * own wording survives re-runs. Options are never deleted: items may hold them.
 */
export function planUpdateField(
  spec: SmartProcessSpec,
  field: FieldSpec,
  row: FieldRow,
  typeId: number,
  etis: EntityTypeIds,
  lang: Lang,
  recordedHash: string | undefined,
): { op: Operation | null; notice: string | null; cosmeticHash: string; cosmeticMatches: boolean } {
  const d = desiredField(field, typeId, etis, lang);
  const cosmeticHash = fingerprint(d.cosmetic);
  const current = currentCosmetic(row, d);
  const cosmeticMatches = fingerprint(current) === cosmeticHash;
  if (row.userTypeId !== d.userTypeId || row.multiple !== d.multiple) {
    // userTypeId and multiple cannot change after creation (how-to-add-user-field-to-spa.md §Key Considerations).
    return {
      op: null,
      notice: `${spec.key}.${field.key}: ${row.fieldName} is ${row.userTypeId}${row.multiple === 'Y' ? '[]' : ''} on the portal, the manifest wants ${d.userTypeId}${d.multiple === 'Y' ? '[]' : ''}; Bitrix24 cannot change that — left as it is`,
      cosmeticHash,
      cosmeticMatches,
    };
  }
  const changes: string[] = [];
  const out: Record<string, unknown> = {};
  const settingsDiffer = Object.entries(d.settings).filter(([k, v]) => String(row.settings[k] ?? '') !== String(v));
  if (settingsDiffer.length) {
    out.settings = { ...row.settings, ...d.settings };
    changes.push(...settingsDiffer.map(([k, v]) => `settings.${k}: ${String(row.settings[k] ?? '—')} → ${String(v)}`));
  }
  const applyCosmetic = !cosmeticMatches && recordedHash !== cosmeticHash;
  if (applyCosmetic) {
    if (current.mandatory !== d.cosmetic.mandatory) {
      out.mandatory = d.cosmetic.mandatory;
      changes.push(`mandatory: ${current.mandatory} → ${d.cosmetic.mandatory}`);
    }
    if (current.showFilter !== d.cosmetic.showFilter) {
      out.showFilter = d.cosmetic.showFilter;
      changes.push(`showFilter: ${current.showFilter} → ${d.cosmetic.showFilter}`);
    }
    for (const l of ['ru', 'en'] as const) {
      if (current.editFormLabel[l] !== d.cosmetic.editFormLabel[l]) {
        out.editFormLabel = d.cosmetic.editFormLabel;
        changes.push(`label.${l}: «${current.editFormLabel[l]}» → «${d.cosmetic.editFormLabel[l]}»`);
      }
    }
    if (d.cosmetic.helpMessage && (current.helpMessage?.ru !== d.cosmetic.helpMessage.ru || current.helpMessage?.en !== d.cosmetic.helpMessage.en)) {
      out.helpMessage = d.cosmetic.helpMessage;
      changes.push('help text');
    }
  }
  if (d.userTypeId === 'enumeration') {
    const existing = row.enum ?? [];
    const missing = d.options.filter((o) => !existing.some((e) => e.xmlId === o.xmlId));
    const relabel = applyCosmetic
      ? existing.filter((e) => {
          const want = d.cosmetic.enumValues[e.xmlId];
          return want && (want.value !== e.value || want.def !== e.def || want.sort !== e.sort);
        })
      : [];
    if (missing.length || relabel.length) {
      // `enum` replaces the option list: keep every existing option by id, change ours, append the new ones.
      out.userTypeId = 'enumeration';
      out.enum = [
        ...existing.map((e) => {
          const want = applyCosmetic ? d.cosmetic.enumValues[e.xmlId] : undefined;
          return { id: e.id, xmlId: e.xmlId, value: want?.value ?? e.value, def: want?.def ?? e.def, sort: want?.sort ?? e.sort };
        }),
        ...missing.map((o) => ({ xmlId: o.xmlId, value: o.value, def: o.def, sort: o.sort })),
      ];
      if (missing.length) changes.push(`options: + ${missing.map((o) => `${o.xmlId} «${o.value}»`).join(', ')}`);
      for (const e of relabel) changes.push(`option ${e.xmlId}: «${e.value}» → «${d.cosmetic.enumValues[e.xmlId]!.value}»`);
    }
  }
  if (!changes.length) return { op: null, notice: null, cosmeticHash, cosmeticMatches };
  return {
    op: {
      id: `field.update:${spec.key}.${field.key}`,
      kind: 'updateField',
      step: 'fields',
      phase: 2,
      pending: d.pending,
      sp: spec.key,
      call: { method: 'userfieldconfig.update', params: { moduleId: 'crm', id: row.id, field: out } },
      text: { ru: `Изменить поле ${label(field)} ${row.fieldName} [${spec.key}]`, en: `Update field ${label(field)} ${row.fieldName} [${spec.key}]` },
      changes,
      apply(model, outcome) {
        const answered = (outcome.result as { field?: unknown })?.field;
        const parsed = answered ? parseField(answered) : null;
        for (const details of model.state.details.values()) {
          const i = details.fields.findIndex((f) => f.id === row.id);
          if (i < 0) continue;
          const before = details.fields[i]!;
          const sentEnum = out.enum as Array<{ id?: number; xmlId: string; value: string; def: 'Y' | 'N'; sort: number }> | undefined;
          details.fields[i] = {
            ...before,
            mandatory: (out.mandatory as 'Y' | 'N' | undefined) ?? before.mandatory,
            showFilter: (out.showFilter as string | undefined) ?? before.showFilter,
            editFormLabel: { ...before.editFormLabel, ...((out.editFormLabel as Record<string, string> | undefined) ?? {}) },
            helpMessage: { ...before.helpMessage, ...((out.helpMessage as Record<string, string> | undefined) ?? {}) },
            settings: (out.settings as Record<string, unknown> | undefined) ?? before.settings,
            enum: parsed?.enum?.length ? parsed.enum : sentEnum ? sentEnum.map((e) => ({ id: e.id ?? 0, xmlId: e.xmlId, value: e.value, def: e.def, sort: e.sort })) : before.enum,
          };
        }
        if (applyCosmetic || cosmeticMatches) model.record.fingerprints[fieldFingerprintKey(spec.key, field.key)] = cosmeticHash;
      },
    },
    notice: null,
    cosmeticHash,
    cosmeticMatches,
  };
}
