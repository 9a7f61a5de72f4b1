import type { DealersRepository } from '../dealers/index.js';
import type { Resolved, RuleResolver } from '../pricing/index.js';
import type { CatalogSnapshot } from './catalog-snapshot.js';

const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

interface Lookups {
  groupsByErpId: Map<string, number>;
  groupsByCode: Map<string, number>;
  groupsByName: Map<string, number[]>;
  brands: Map<string, string>;
  productsByErpId: Map<string, number>;
  productsBySku: Map<string, number[]>;
  productsByCode: Map<string, number>;
}

const cache = new WeakMap<CatalogSnapshot, Lookups>();

/** Reference maps of a snapshot, built on first need (only rule syncs ask) and kept with the snapshot. */
function lookupsOf(snapshot: CatalogSnapshot): Lookups {
  let l = cache.get(snapshot);
  if (l) return l;
  l = { groupsByErpId: new Map(), groupsByCode: new Map(), groupsByName: new Map(), brands: new Map(), productsByErpId: new Map(), productsBySku: new Map(), productsByCode: new Map() };
  for (const g of snapshot.groups.values()) {
    l.groupsByErpId.set(g.erpId, g.id);
    if (g.code) l.groupsByCode.set(g.code, g.id);
    const key = norm(g.name);
    l.groupsByName.set(key, [...(l.groupsByName.get(key) ?? []), g.id]);
  }
  snapshot.index.products.forEach((p, slot) => {
    l!.productsByErpId.set(p.erpId, p.id);
    const code = snapshot.extras[slot]!.code;
    if (code) l!.productsByCode.set(code, p.id);
    if (p.sku) {
      const key = norm(p.sku);
      const list = l!.productsBySku.get(key);
      if (list) list.push(p.id);
      else l!.productsBySku.set(key, [p.id]);
    }
    if (p.brand && !l!.brands.has(norm(p.brand))) l!.brands.set(norm(p.brand), p.brand);
  });
  cache.set(snapshot, l);
  return l;
}

/**
 * What a rule's "Group / brand / SKU" and dealer fields mean in this portal: groups by ERP id, code or (unique) name;
 * brands as the catalog spells them; products by ERP id, SKU (unique) or code; dealers by their Dealers item id.
 */
export function createRuleResolver(snapshot: CatalogSnapshot, dealers: Pick<DealersRepository, 'findByItemId'>): RuleResolver {
  const l = lookupsOf(snapshot);
  return {
    group(ref): Resolved<number> {
      const id = l.groupsByErpId.get(ref) ?? l.groupsByCode.get(ref);
      if (id !== undefined) return { ok: true, value: id };
      const byName = l.groupsByName.get(norm(ref)) ?? [];
      if (byName.length === 1) return { ok: true, value: byName[0]! };
      if (byName.length > 1) return { ok: false, problem: `${byName.length} product groups are named "${ref}"; give the group's ERP id or code instead` };
      return { ok: false, problem: `no product group "${ref}" (by ERP id, code or name)` };
    },
    brand(ref): Resolved<string> {
      const brand = l.brands.get(norm(ref));
      return brand ? { ok: true, value: brand } : { ok: false, problem: `no goods of brand "${ref}" in the catalog` };
    },
    product(ref): Resolved<number> {
      const id = l.productsByErpId.get(ref) ?? l.productsByCode.get(ref);
      if (id !== undefined) return { ok: true, value: id };
      const bySku = l.productsBySku.get(norm(ref)) ?? [];
      if (bySku.length === 1) return { ok: true, value: bySku[0]! };
      if (bySku.length > 1) return { ok: false, problem: `${bySku.length} products have SKU "${ref}"; give the product's ERP id or code instead` };
      return { ok: false, problem: `no product "${ref}" (by SKU, ERP id or code)` };
    },
    async dealer(b24ItemId): Promise<Resolved<number>> {
      const dealer = await dealers.findByItemId(snapshot.portalId, b24ItemId);
      return dealer ? { ok: true, value: dealer.id } : { ok: false, problem: `dealer item ${b24ItemId} is not known to DealerHub (not synced from the Dealers smart process yet)` };
    },
  };
}
