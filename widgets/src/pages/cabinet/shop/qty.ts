/**
 * Quantity input of the shop screens: what a person types ("2,5", " 10 ") becomes the decimal string the cart API
 * takes (a dot, at most 3 decimals, > 0), or a reason it cannot. Packs and countable goods must be whole.
 */
export type QtyProblem = 'empty' | 'notNumber' | 'zero' | 'tooPrecise' | 'notWhole';

export function parseQtyInput(text: string, opts: { whole?: boolean } = {}): { qty: string } | { problem: QtyProblem } {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!t) return { problem: 'empty' };
  const m = /^(\d{1,9})(?:\.(\d*))?$/.exec(t);
  if (!m) return { problem: 'notNumber' };
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 3) return { problem: 'tooPrecise' };
  const int = m[1]!.replace(/^0+(?=\d)/, '');
  if (int === '0' && !frac) return { problem: 'zero' };
  if (opts.whole && frac) return { problem: 'notWhole' };
  return { qty: frac ? `${int}.${frac}` : int };
}

/** Base units of `qty` entered in `unit` (packs times the pack ratio), as a plain decimal string for display. */
export function baseUnits(qty: string, unit: 'base' | 'pack', packRatio: string | null): string {
  if (unit === 'base' || !packRatio) return qty;
  const product = Number(qty) * Number(packRatio);
  return String(Math.round(product * 1000) / 1000);
}

/**
 * Converts a line's quantity when the person switches between pieces and packs, so the amount stays the same when it
 * can: 24 pcs with packs of 12 → 2 packs; 30 pcs → 3 packs (rounded up: one never gets less than asked).
 */
export function convertQty(qty: string, from: 'base' | 'pack', to: 'base' | 'pack', packRatio: string | null): string {
  if (from === to || !packRatio || Number(packRatio) <= 0) return qty;
  if (to === 'pack') return String(Math.max(1, Math.ceil(Number(qty) / Number(packRatio) - 1e-9)));
  return baseUnits(qty, 'pack', packRatio);
}

/** Whether a product's quantity must be whole: packs always; pieces of countable goods (the unit code 796 "шт"). */
export function isWholeUnit(unit: 'base' | 'pack', unitName: string): boolean {
  return unit === 'pack' || /^(шт|pcs|pc|ea|ед)\.?$/i.test(unitName.trim());
}
