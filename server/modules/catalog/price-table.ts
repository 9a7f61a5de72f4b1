import { toScaledInt } from '../pricing/index.js';

export interface PriceTypeInfo {
  id: number;
  erpId: string;
  name: string;
  currency: string;
}

/**
 * One ERP price type's base prices per catalog slot. Prices are kept as exact integers of ten-thousandths (the
 * read model's DECIMAL(18,4) scale) in a Float64Array: exact below 2^53 (≈ 900 billion), compact (8 bytes a price,
 * 800 KB per 100k SKUs), directly usable as a sort key, and turned into an exact decimal string on demand. The rare
 * price beyond that range keeps its string in `oversized` (and NaN in the array, so sorting puts it last).
 */
export class PriceColumn {
  /** Ten-thousandths per slot; NaN = no price in this type. */
  readonly scaled: Float64Array;
  readonly oversized = new Map<number, string>();
  /** Rows whose currency differs from the price type's (ERPs allow it per row). */
  readonly currencyOf = new Map<number, string>();
  count = 0;

  constructor(
    readonly type: PriceTypeInfo,
    size: number,
  ) {
    this.scaled = new Float64Array(size).fill(NaN);
  }

  set(slot: number, price: string, currency: string | null): void {
    if (Number.isNaN(this.scaled[slot]!) && !this.oversized.has(slot)) this.count++;
    const v = toScaledInt(price, 4);
    if (v === null) {
      this.scaled[slot] = NaN;
      this.oversized.set(slot, price);
    } else {
      this.scaled[slot] = v;
      this.oversized.delete(slot);
    }
    if (currency && currency !== this.type.currency) this.currencyOf.set(slot, currency);
    else this.currencyOf.delete(slot);
  }

  has(slot: number): boolean {
    return !Number.isNaN(this.scaled[slot]!) || this.oversized.has(slot);
  }

  /** The exact base price as a decimal string, or null when the product has none in this type. */
  text(slot: number): string | null {
    const v = this.scaled[slot]!;
    if (Number.isNaN(v)) return this.oversized.get(slot) ?? null;
    const abs = Math.abs(v);
    const text = `${Math.floor(abs / 10_000)}.${String(abs % 10_000).padStart(4, '0')}`;
    return v < 0 ? `-${text}` : text;
  }

  currency(slot: number): string {
    return this.currencyOf.get(slot) ?? this.type.currency;
  }

  /** True when every slot holds the same price (and currency) as in `other`: a reload that changed nothing. */
  sameAs(other: PriceColumn): boolean {
    if (other.scaled.length !== this.scaled.length || other.count !== this.count || other.type.currency !== this.type.currency) return false;
    const a = this.scaled;
    const b = other.scaled;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) return false;
    if (other.oversized.size !== this.oversized.size || other.currencyOf.size !== this.currencyOf.size) return false;
    for (const [k, v] of this.oversized) if (other.oversized.get(k) !== v) return false;
    for (const [k, v] of this.currencyOf) if (other.currencyOf.get(k) !== v) return false;
    return true;
  }
}
