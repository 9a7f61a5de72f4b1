import type { B24Client } from '../../server/bitrix24/index.js';
import { addDecimals, multiplyDecimals, toDecimal, type DecimalString } from '../../server/lib/decimal.js';
import { productRowOwnerType } from '../../server/modules/dealers/index.js';

export interface ProductLine {
  id: number;
  productId: number | null;
  name: string;
  /** Up to 4 decimals (crm.item.productrow quantity is a double in the portal; we never do float maths on it). */
  quantity: DecimalString;
  measure: string | null;
  /** Final unit price (with discount and tax as the portal computes it). */
  price: DecimalString;
  discountSum: DecimalString;
  taxRate: DecimalString | null;
  taxIncluded: boolean;
  /** price × quantity. */
  sum: DecimalString;
}

export interface LinesTotals {
  lines: number;
  quantity: DecimalString;
  discount: DecimalString;
  amount: DecimalString;
}

const dec = (v: unknown, scale: number): DecimalString => {
  try {
    return toDecimal((v ?? 0) as string | number, scale);
  } catch {
    return toDecimal(0, scale);
  }
};

export function mapProductRow(r: Record<string, unknown>): ProductLine {
  const quantity = dec(r.quantity, 4).replace(/\.?0+$/, '') || '0';
  const price = dec(r.price, 2);
  return {
    id: Number(r.id),
    productId: Number(r.productId) > 0 ? Number(r.productId) : null,
    name: String(r.productName ?? ''),
    quantity,
    measure: typeof r.measureName === 'string' && r.measureName ? r.measureName : null,
    price,
    discountSum: dec(r.discountSum, 2),
    taxRate: r.taxRate === null || r.taxRate === undefined || r.taxRate === '' ? null : dec(r.taxRate, 2),
    taxIncluded: r.taxIncluded === 'Y' || r.taxIncluded === true,
    sum: multiplyDecimals(price, quantity, 2),
  };
}

export function totalsOf(lines: ProductLine[]): LinesTotals {
  return {
    lines: lines.length,
    quantity: (addDecimals(lines.map((l) => l.quantity), 4).replace(/\.?0+$/, '') || '0') as DecimalString,
    discount: addDecimals(lines.map((l) => multiplyDecimals(l.discountSum, l.quantity, 2))),
    amount: addDecimals(lines.map((l) => l.sum)),
  };
}

/** The product rows of a smart-process item (crm.item.productrow.list, ownerType `T<hex eTI>`), every page. */
export async function readProductRows(client: B24Client, entityTypeId: number, itemId: number): Promise<ProductLine[]> {
  const rows = await client.listAll<Record<string, unknown>>(
    'crm.item.productrow.list',
    { filter: { '=ownerType': productRowOwnerType(entityTypeId), '=ownerId': itemId } },
    { itemsKey: 'productRows', mode: 'paged' },
  );
  return rows.map(mapProductRow);
}
