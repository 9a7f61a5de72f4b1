import { z } from 'zod';
import type { DecimalString } from '../../lib/decimal.js';

/**
 * Pricing vocabulary (DESIGN.md §2: Bitrix24 never holds per-dealer price matrices; we compute them).
 * Price = the dealer's ERP price type → the discount reference book (Discounts smart process) → special offers
 * (Special offers smart process). Every price carries a breakdown of how it came to be.
 */
const ZDec = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number such as 12.50');
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** Whom a rule is for. */
export const ZRuleAudience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('dealer'), dealerId: z.number().int().positive() }),
  z.object({ kind: z.literal('dealer_group'), group: z.string().min(1) }),
]);

/** Which goods a rule covers. Groups cover their whole subtree. */
export const ZRuleTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('group'), groupId: z.string().min(1) }),
  z.object({ kind: z.literal('brand'), brand: z.string().min(1) }),
  z.object({ kind: z.literal('product'), productId: z.string().min(1) }),
]);

export const ZDiscountRule = z
  .object({
    id: z.number().int().positive(),
    title: z.string().default(''),
    audience: ZRuleAudience,
    target: ZRuleTarget,
    /** percent: value% off the base; fixed_price: the price is value; amount_off: value less than the base. */
    kind: z.enum(['percent', 'fixed_price', 'amount_off']),
    value: ZDec,
    /** Higher wins; among equal priorities the more specific rule wins (product > brand > group > all). */
    priority: z.number().int().default(0),
    validFrom: ZDate.nullable().default(null),
    validTo: ZDate.nullable().default(null),
    minQty: ZDec.nullable().default(null),
    active: z.boolean().default(true),
  })
  .refine((r) => r.kind !== 'percent' || (Number(r.value) >= 0 && Number(r.value) <= 100), { message: 'a percent discount must be between 0 and 100', path: ['value'] })
  .refine((r) => Number(r.value) >= 0, { message: 'the value cannot be negative', path: ['value'] })
  .refine((r) => !r.validFrom || !r.validTo || r.validFrom <= r.validTo, { message: 'validFrom is after validTo', path: ['validTo'] });
export type TDiscountRule = z.infer<typeof ZDiscountRule>;

export const ZSpecialOffer = z
  .object({
    id: z.number().int().positive(),
    title: z.string().min(1),
    audience: ZRuleAudience,
    target: ZRuleTarget,
    kind: z.enum(['percent', 'fixed_price']),
    value: ZDec,
    validFrom: ZDate.nullable().default(null),
    validTo: ZDate.nullable().default(null),
    minQty: ZDec.nullable().default(null),
    /** Free text shown to the dealer ("при заказе от 10 шт."). */
    conditions: z.string().default(''),
    active: z.boolean().default(true),
  })
  .refine((o) => o.kind !== 'percent' || (Number(o.value) >= 0 && Number(o.value) <= 100), { message: 'a percent offer must be between 0 and 100', path: ['value'] });
export type TSpecialOffer = z.infer<typeof ZSpecialOffer>;

/** What the engine needs to know about the dealer. */
export interface DealerPricingProfile {
  dealerId: number;
  priceTypeId: string;
  groups: string[];
}

/** What the engine needs to know about a product. */
export interface ProductPricingFacts {
  productId: string;
  /** The product's group and every ancestor, nearest first. */
  groupPath: string[];
  brand: string | null;
}

export interface PriceStep {
  kind: 'base' | 'rule' | 'offer';
  /** Rule or offer id; the ERP price type for the base. */
  ref: string;
  title: string;
  /** How the step was defined ("-10%", "= 990.00", "-50.00"). */
  how: string;
  /** The unit price after this step. */
  price: DecimalString;
}

export interface PriceQuote {
  productId: string;
  currency: string;
  basePrice: DecimalString;
  unitPrice: DecimalString;
  qty: DecimalString;
  lineTotal: DecimalString;
  discountPercent: DecimalString;
  breakdown: PriceStep[];
}
