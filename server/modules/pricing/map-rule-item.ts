import type { RuleUpsert, RuleSource } from './pricing-rules.repository.js';
import type { EnumMaps, RuleFieldKey, SmartProcessBinding } from './smart-process-binding.js';
import { ZDiscountRule, ZSpecialOffer, type TRuleAudience, type TRuleTarget } from './pricing.types.js';

/**
 * Turns a Discounts / Special offers item (crm.item.get / crm.item.list, api-reference/crm/universal/crm-item-get.md)
 * into a stored rule: enumerations by their xmlId, the dealer link to our dealer id, the target's reference (group by
 * ERP id, code or name; brand; product by SKU, ERP id or code) to our ids. A rule that points at nothing is kept as
 * `unresolved` with the reason, one that makes no sense as `invalid`; neither applies to any price.
 */

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Answers what a rule's references mean in this portal (the catalog and the dealers table). */
export interface RuleResolver {
  group(ref: string): Resolved<number>;
  brand(ref: string): Resolved<string>;
  product(ref: string): Resolved<number>;
  /** Bitrix24 Dealers item id → our dealer id. */
  dealer(b24ItemId: number): Promise<Resolved<number>>;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? '' : String(v).trim());

/** A double field as a decimal string: JSON numbers print in their shortest exact form ("12.5"), strings may use a comma. */
function decimalOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v).replace(',', '.').replace(/\s/g, '');
  if (/e/i.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n.toFixed(6).replace(/\.?0+$/, '') : null;
  }
  return /^-?\d+(\.\d+)?$/.test(s) ? s : null;
}

/** Date fields come as "2026-11-01T00:00:00+03:00"; the rule needs the day the manager picked. */
const dayOf = (v: unknown): string | null => {
  const s = text(v);
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};

const isYes = (v: unknown, fallback: boolean) => {
  if (v === null || v === undefined || v === '') return fallback;
  return v === true || v === 1 || ['Y', '1', 'true', 'yes'].includes(String(v));
};

/** A "crm" link to a Dealers item: a plain id, or "T<hex eTI>_<id>" / "DYNAMIC_<eTI>_<id>" when several types are allowed. */
export function linkedItemId(v: unknown): number | null {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'number') return Number.isInteger(first) && first > 0 ? first : null;
  const s = text(first);
  const m = /^(?:(?:T[0-9a-f]+|DYNAMIC_\d+)_)?(\d+)$/i.exec(s);
  return m ? Number(m[1]) : null;
}

export async function mapRuleItem(item: Record<string, unknown>, binding: SmartProcessBinding, enums: EnumMaps, resolver: RuleResolver): Promise<RuleUpsert> {
  const source: RuleSource = binding.key === 'discounts' ? 'discount' : 'offer';
  const id = Number(item.id);
  const field = (key: RuleFieldKey): unknown => (binding.fields[key] ? item[binding.fields[key]!] : undefined);
  const label = source === 'discount' ? 'Скидка' : 'Спецпредложение';
  const title = text(item.title) || `${label} #${id}`;
  const base = { source, b24ItemId: id, title };
  const invalid = (problem: string): RuleUpsert => ({ ...base, rule: null, status: 'invalid', problem });
  const unresolved = (problem: string): RuleUpsert => ({ ...base, rule: null, status: 'unresolved', problem });
  const enumOf = (key: RuleFieldKey): string | null => {
    const raw = field(key);
    if (raw === null || raw === undefined || raw === '') return null;
    return enums[key]?.get(Number(raw)) ?? null;
  };

  const audienceKind = enumOf('audience') ?? (field('audience') === undefined || field('audience') === null || field('audience') === '' ? 'all' : null);
  let audience: TRuleAudience;
  if (audienceKind === 'all') audience = { kind: 'all' };
  else if (audienceKind === 'dealer') {
    const itemId = linkedItemId(field('dealer'));
    if (itemId === null) return invalid('Audience is "dealer" but no dealer is chosen');
    const dealer = await resolver.dealer(itemId);
    if (!dealer.ok) return unresolved(dealer.problem);
    audience = { kind: 'dealer', dealerId: dealer.value };
  } else if (audienceKind === 'dealer_group') {
    const group = enumOf('dealerGroup');
    if (!group) return invalid('Audience is "dealer group" but no group is chosen');
    audience = { kind: 'dealer_group', group };
  } else return invalid(`Audience has an unknown value (${text(field('audience'))})`);

  const targetKind = enumOf('target') ?? (field('target') === undefined || field('target') === null || field('target') === '' ? 'all' : null);
  const ref = text(field('targetRef'));
  let target: TRuleTarget;
  if (targetKind === 'all') target = { kind: 'all' };
  else if (targetKind === 'group' || targetKind === 'brand' || targetKind === 'product') {
    if (!ref) return invalid(`Applies to a ${targetKind} but "Group / brand / SKU" is empty`);
    if (targetKind === 'group') {
      const g = resolver.group(ref);
      if (!g.ok) return unresolved(g.problem);
      target = { kind: 'group', groupId: String(g.value) };
    } else if (targetKind === 'brand') {
      const b = resolver.brand(ref);
      if (!b.ok) return unresolved(b.problem);
      target = { kind: 'brand', brand: b.value };
    } else {
      const p = resolver.product(ref);
      if (!p.ok) return unresolved(p.problem);
      target = { kind: 'product', productId: String(p.value) };
    }
  } else return invalid(`"Applies to" has an unknown value (${text(field('target'))})`);

  const rawKind = field('kind');
  const kind = enumOf('kind') ?? (rawKind === undefined || rawKind === null || rawKind === '' ? 'percent' : null);
  if (kind === null) return invalid(`Kind has an unknown value (${text(rawKind)})`);
  const value = decimalOf(field('value'));
  if (value === null) return invalid('Value is empty or not a number');
  const minQty = decimalOf(field('minQty'));
  const common = {
    id,
    title,
    audience,
    target,
    kind,
    value,
    validFrom: dayOf(field('validFrom')),
    validTo: dayOf(field('validTo')),
    minQty: minQty === null || Number(minQty) === 0 ? null : minQty,
    active: isYes(field('active'), true),
  };
  const parsed =
    source === 'discount'
      ? ZDiscountRule.safeParse({ ...common, priority: Number.parseInt(text(field('priority')) || '0', 10) || 0 })
      : ZSpecialOffer.safeParse({ ...common, conditions: text(field('conditions')), banner: text(field('banner')) });
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`).join('; '));
  return { ...base, rule: parsed.data, status: 'ok', problem: null };
}
