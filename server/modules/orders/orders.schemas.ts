import { z } from 'zod';
import { DELIVERY_METHODS, ORDER_STAGE_KEYS } from './order-stages.js';

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const ZPositiveDecimal = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,12}(\.\d{1,4})?$/, `expected ${what} as a decimal such as 12.50 (a dot, no spaces)`);

/** POST /api/checkout */
export const ZCheckout = z
  .object({
    companyId: z.number().int().positive({ message: 'expected the legal entity (CRM company) id' }).optional(),
    deliveryMethod: z.enum(DELIVERY_METHODS, { message: `one of ${DELIVERY_METHODS.join(', ')}` }),
    deliveryAddress: z.string().trim().max(500).optional(),
    desiredDate: ZDate.optional(),
    comment: z.string().max(2000).optional(),
    /** The client's id of this submit (any unique string): a retried submit with it returns the first order. */
    requestId: z.string().trim().min(8).max(80).optional(),
  })
  .strict()
  .refine((c) => c.deliveryMethod === 'pickup' || (c.deliveryAddress ?? '').length > 0, { message: 'an address is needed unless you pick up the goods', path: ['deliveryAddress'] });
export type TCheckout = z.infer<typeof ZCheckout>;

export const ZOrderListQuery = z.object({
  from: ZDate.optional(),
  to: ZDate.optional(),
  stage: z
    .union([z.enum(ORDER_STAGE_KEYS as [string, ...string[]]), z.array(z.enum(ORDER_STAGE_KEYS as [string, ...string[]]))])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
  companyId: z.coerce.number().int().positive().optional(),
  dealerId: z.coerce.number().int().positive({ message: 'expected the Dealers item id' }).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['created', 'number', 'total', 'stage']).default('created'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** GET /api/orders/sales/monthly */
export const ZSalesQuery = z.object({
  dealerId: z.coerce.number().int().positive({ message: 'expected the Dealers item id' }).optional(),
  months: z.coerce.number().int().min(1).max(36, { message: 'at most 36 months' }).default(12),
});

export const ZOrderId = z.object({ id: z.coerce.number().int().positive({ message: 'expected the order id (a positive integer)' }) });
export const ZOrderLineParams = ZOrderId.extend({ lineId: z.coerce.number().int().positive({ message: 'expected the order line id' }) });

/** A manager's change of a line (order tab). */
export const ZLineChange = z
  .object({
    qty: ZPositiveDecimal('the quantity in base units').optional(),
    price: ZPositiveDecimal('the unit price').optional(),
    replaceWithProductId: z.number().int().positive().optional(),
    remove: z.boolean().optional(),
    comment: z.string().max(1000).optional(),
  })
  .strict()
  .refine((c) => c.qty !== undefined || c.price !== undefined || c.replaceWithProductId !== undefined || c.remove, { message: 'nothing to change: give qty, price, replaceWithProductId or remove' });
export type TLineChange = z.infer<typeof ZLineChange>;

export const ZDecision = z.object({ comment: z.string().max(1000).optional() }).strict();
export const ZStageMove = z.object({ stage: z.enum(['approval', 'agreed', 'cancelled'], { message: 'one of approval, agreed, cancelled' }) }).strict();
