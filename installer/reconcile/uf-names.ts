/**
 * REST names of smart-process user fields (api-reference/crm/universal/index.md §Field Naming Conventions):
 * `UF_CRM_13_ERP_NUMBER` → `ufCrm13ErpNumber` when only letters follow the type id, `UF_CRM_13_1234` → `ufCrm13_1234`
 * for digits only, and the "simplified" `ufCrm_13_MIXED10` when letters and digits mix. The manifest uses letter-only
 * codes so the first rule applies.
 */
export function ufRestName(upperName: string): string {
  const m = /^UF_CRM_(.+)$/.exec(upperName);
  if (!m) return upperName;
  const rest = m[1]!;
  const [typeId, ...tail] = rest.split('_');
  if (/^\d+$/.test(typeId ?? '') && tail.length > 0) {
    if (tail.every((p) => /^[A-Z]+$/.test(p))) return `ufCrm${typeId}${tail.map((p) => p.charAt(0) + p.slice(1).toLowerCase()).join('')}`;
    if (tail.every((p) => /^\d+$/.test(p))) return `ufCrm${typeId}_${tail.join('_')}`;
  }
  return `ufCrm_${rest}`;
}

/** The UF code of a manifest field on a type: `UF_CRM_{typeId}_{code}` (userfieldconfig-add.md). */
export const ufUpperName = (typeId: number | null, code: string): string => `UF_CRM_${typeId ?? '?'}_${code}`;
