import { Dec, type DecimalString } from '../../lib/decimal.js';
import type { PriceStep } from '../pricing/index.js';
import type { CatalogPort, CatalogProductView, StockScope } from './catalog-port.js';
import type { CartUnit } from './carts.repository.js';
import { lineProblem, type LineProblem } from './line-problems.js';

export interface LineInput {
  /** The cart line id, when the line is stored. */
  id?: number;
  productId: number;
  qty: string;
  unit: CartUnit;
  note?: string | null;
}

export interface LinePrice {
  currency: string;
  basePrice: DecimalString;
  unitPrice: DecimalString;
  discountPercent: DecimalString;
  lineTotal: DecimalString;
  breakdown: PriceStep[];
}

export interface PricedLine {
  id: number | null;
  productId: number;
  productErpId: string | null;
  sku: string | null;
  name: string;
  unitName: string;
  qty: string;
  unit: CartUnit;
  packRatio: string | null;
  packName: string | null;
  /** The quantity in base units: what is priced, reserved and sent to the ERP. */
  baseQty: string;
  price: LinePrice | null;
  stock: { available: string; inStock: boolean; enough: boolean; scope: 'city' | 'all'; city: string | null };
  /** Reasons the line cannot be ordered now; an empty list means it can. */
  problems: LineProblem[];
  note: string | null;
}

export interface LineTotals {
  lines: number;
  orderable: number;
  quantity: DecimalString;
  baseAmount: DecimalString;
  discount: DecimalString;
  amount: DecimalString;
  currency: string;
}

const isWhole = (v: string) => new Dec(v).isInteger();

/** Base units of an entered quantity, or the problem that prevents it (pack without a pack, fractions of pieces). */
export function baseQuantityOf(product: CatalogProductView, qty: string, unit: CartUnit): { baseQty: string } | { problem: LineProblem } {
  const unitName = product.unit.name || undefined;
  if (unit === 'pack') {
    if (!product.packRatio) return { problem: lineProblem('NO_PACK') };
    if (!isWhole(qty)) return { problem: lineProblem('BAD_MULTIPLICITY', { ratio: product.packRatio, unit: unitName }) };
    return { baseQty: new Dec(qty).times(product.packRatio).toFixed() };
  }
  if (product.countable && !isWhole(qty)) return { problem: lineProblem('BAD_MULTIPLICITY', { unit: unitName }) };
  return { baseQty: new Dec(qty).toFixed() };
}

/**
 * Prices lines exactly with the dealer's pricing of today (decimal strings, breakdown per line) and marks what stops
 * a line from being ordered (gone from the catalog, not on sale, no price, multiplicity) and stock in the scope.
 */
export function priceLines(port: CatalogPort, lines: readonly LineInput[], scope: { city: string | null }): PricedLine[] {
  const products = port.products(lines.map((l) => l.productId));
  const stockScope: StockScope = scope.city && port.hasCity(scope.city) ? { city: scope.city } : {};
  const scopeKind = stockScope.city ? 'city' : 'all';
  return lines.map((l): PricedLine => {
    const p = products.get(l.productId);
    const base: PricedLine = {
      id: l.id ?? null,
      productId: l.productId,
      productErpId: p?.erpId ?? null,
      sku: p?.sku ?? null,
      name: p?.name ?? `#${l.productId}`,
      unitName: p?.unit.name ?? '',
      qty: l.qty,
      unit: l.unit,
      packRatio: p?.packRatio ?? null,
      packName: p?.packName ?? null,
      baseQty: l.qty,
      price: null,
      stock: { available: '0', inStock: false, enough: false, scope: scopeKind, city: stockScope.city ?? null },
      problems: [],
      note: l.note ?? null,
    };
    if (!p) return { ...base, problems: [lineProblem('UNKNOWN_PRODUCT')] };
    const problems: LineProblem[] = [];
    if (!p.onSale) problems.push(lineProblem('NOT_ON_SALE', { sku: p.sku ?? undefined }));
    const q = baseQuantityOf(p, l.qty, l.unit);
    if ('problem' in q) return { ...base, problems: [...problems, q.problem] };
    const available = port.available(p.id, stockScope);
    const stock = { ...base.stock, available, inStock: new Dec(available).gt(0), enough: new Dec(available).gte(q.baseQty) };
    const quote = port.quote(p.id, q.baseQty);
    if (!quote) problems.push(lineProblem('NO_PRICE', { priceType: port.priceType?.name }));
    return {
      ...base,
      baseQty: q.baseQty,
      stock,
      problems,
      price: quote
        ? { currency: quote.currency, basePrice: quote.basePrice, unitPrice: quote.unitPrice, discountPercent: quote.discountPercent, lineTotal: quote.lineTotal, breakdown: quote.breakdown }
        : null,
    };
  });
}

export function totalsOf(lines: readonly PricedLine[], fallbackCurrency: string): LineTotals {
  let quantity = new Dec(0);
  let amount = new Dec(0);
  let baseAmount = new Dec(0);
  let orderable = 0;
  let currency: string | null = null;
  for (const l of lines) {
    if (!l.price || l.problems.length) continue;
    orderable++;
    quantity = quantity.plus(l.baseQty);
    amount = amount.plus(l.price.lineTotal);
    baseAmount = baseAmount.plus(new Dec(l.price.basePrice).times(l.baseQty).toDecimalPlaces(2));
    currency ??= l.price.currency;
  }
  return {
    lines: lines.length,
    orderable,
    quantity: quantity.toFixed() as DecimalString,
    baseAmount: baseAmount.toFixed(2) as DecimalString,
    discount: baseAmount.minus(amount).toFixed(2) as DecimalString,
    amount: amount.toFixed(2) as DecimalString,
    currency: currency ?? fallbackCurrency,
  };
}
