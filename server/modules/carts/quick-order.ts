import type { CatalogPort } from './catalog-port.js';
import type { CartLineInput } from './carts.repository.js';
import { lineProblem, type LineProblem, type LineProblemCode } from './line-problems.js';
import { baseQuantityOf } from './price-lines.js';
import type { ParsedQuickOrder } from './parse-quick-order.js';

export interface QuickOrderRejected {
  lineNo: number;
  raw: string;
  code: LineProblemCode;
  message: LineProblem['message'];
}

export interface QuickOrderAccepted {
  lineNo: number;
  sku: string;
  productId: number;
  name: string;
  qty: string;
  unit: 'base' | 'pack';
  baseQty: string;
  qtyAssumed: boolean;
}

export interface QuickOrderResolution {
  format: ParsedQuickOrder['format'];
  encoding?: string;
  delimiter?: string;
  headerSkipped: boolean;
  accepted: QuickOrderAccepted[];
  rejected: QuickOrderRejected[];
  /** What goes into the cart (lines of the same product and unit add up). */
  cartLines: CartLineInput[];
}

/**
 * Resolves a parsed quick order against the catalog in one pass: one batch lookup of every code (SKU, product code or
 * barcode), then per line on-sale, pack conversion, multiplicity and the dealer's price. Every line that cannot be
 * used is reported with its number, its text and why; nothing is dropped silently.
 */
export function resolveQuickOrder(port: CatalogPort, parsed: ParsedQuickOrder): QuickOrderResolution {
  const rejected: QuickOrderRejected[] = parsed.problems.map((p) => ({ lineNo: p.lineNo, raw: p.raw, code: p.code, message: lineProblem(p.code).message }));
  const accepted: QuickOrderAccepted[] = [];
  const found = port.lookup(parsed.lines.map((l) => l.sku));
  const reject = (lineNo: number, raw: string, problem: LineProblem) => rejected.push({ lineNo, raw, code: problem.code, message: problem.message });
  for (const line of parsed.lines) {
    const raw = `${line.sku} ${line.qtyAssumed ? '' : `${line.qty}${line.unit === 'pack' ? ' уп' : ''}`}`.trim();
    const product = found.get(line.sku);
    if (!product) {
      reject(line.lineNo, raw, lineProblem('UNKNOWN_SKU', { sku: line.sku }));
      continue;
    }
    if (!product.onSale) {
      reject(line.lineNo, raw, lineProblem('NOT_ON_SALE', { sku: product.sku ?? line.sku }));
      continue;
    }
    const q = baseQuantityOf(product, line.qty, line.unit);
    if ('problem' in q) {
      reject(line.lineNo, raw, q.problem);
      continue;
    }
    if (!port.quote(product.id, q.baseQty)) {
      reject(line.lineNo, raw, lineProblem('NO_PRICE', { priceType: port.priceType?.name }));
      continue;
    }
    accepted.push({ lineNo: line.lineNo, sku: line.sku, productId: product.id, name: product.name, qty: line.qty, unit: line.unit, baseQty: q.baseQty, qtyAssumed: line.qtyAssumed });
  }
  rejected.sort((a, b) => a.lineNo - b.lineNo);
  return {
    format: parsed.format,
    ...(parsed.encoding ? { encoding: parsed.encoding } : {}),
    ...(parsed.delimiter ? { delimiter: parsed.delimiter } : {}),
    headerSkipped: parsed.headerSkipped,
    accepted,
    rejected,
    cartLines: accepted.map((a) => ({ productId: a.productId, sku: a.sku, qty: a.qty, unit: a.unit })),
  };
}
