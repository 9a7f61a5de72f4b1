/**
 * User-field names in crm.item.* (api-reference/crm/universal/index.md §Field Naming Conventions):
 * - regular: letters only or digits only after the prefix — `UF_CRM_10_DIGIT` → `ufCrm10Digit`,
 *   `UF_CRM_3_1747309727` → `ufCrm3_1747309727` (underscores between numeric blocks kept);
 * - simplified when letters and digits mix (or no type id): `UF_CRM_3_DIGIT10` → `ufCrm_3_DIGIT10`.
 * A name that clashes with another field stays UPPER_CASE.
 */
export function ufToCamel(upper: string): string {
  const m = /^UF_CRM_(.+)$/.exec(upper);
  if (!m) return upper;
  const rest = m[1] as string;
  const parts = rest.split('_');
  const [typeId, ...tail] = parts;
  if (/^\d+$/.test(typeId ?? '') && tail.length > 0) {
    if (tail.every((p) => /^[A-Z]+$/.test(p))) {
      return `ufCrm${typeId}${tail.map((p) => p.charAt(0) + p.slice(1).toLowerCase()).join('')}`;
    }
    if (tail.every((p) => /^\d+$/.test(p))) return `ufCrm${typeId}_${tail.join('_')}`;
  }
  return `ufCrm_${rest}`;
}

/** Maps every UF name of a type to its REST name, keeping UPPER_CASE where two would collide. */
export function ufNameMap(upperNames: string[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const u of upperNames) counts.set(ufToCamel(u), (counts.get(ufToCamel(u)) ?? 0) + 1);
  return new Map(upperNames.map((u) => [u, (counts.get(ufToCamel(u)) ?? 0) > 1 ? u : ufToCamel(u)]));
}

/** `UPPER_SNAKE` → `camelCase` for system fields (`ASSIGNED_BY_ID` → `assignedById`). */
export function upperToCamel(upper: string): string {
  return upper.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `camelCase` → `UPPER_SNAKE` (`assignedById` → `ASSIGNED_BY_ID`, `parentId1220` → `PARENT_ID_1220`). */
export function camelToUpper(camel: string): string {
  return camel.replace(/([a-z])([A-Z0-9])/g, '$1_$2').replace(/([0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
