import { z } from 'zod';

/**
 * Query parameters of the catalog API, with messages a person can act on (the error middleware names the field).
 * Arrays arrive as `filters[brand][]=A&filters[brand][]=B` (qs, the app's extended query parser) or one value.
 */
const id = (name: string) => z.coerce.number({ message: `${name} must be a whole number` }).int({ message: `${name} must be a whole number` }).positive({ message: `${name} must be a positive id` });

const ZFlag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', ''], { message: 'expected 1 or 0 (true / false)' })])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes');

const ZValues = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Staff pass the dealer whose prices they want; dealer users may only pass their own (or nothing). */
export const ZDealerParam = z.object({ dealerId: id('dealerId').optional() });

export const ZProductsQuery = ZDealerParam.extend({
  group: id('group').optional(),
  q: z.string({ message: 'q must be text' }).trim().max(200, { message: 'q is longer than 200 characters' }).optional(),
  filters: z.record(z.string().max(100), ZValues, { message: 'filters must look like filters[property][]=value' }).optional(),
  inStock: ZFlag.optional(),
  city: z.string({ message: 'city must be text' }).trim().min(1).max(200).optional(),
  warehouse: id('warehouse').optional(),
  sort: z.enum(['name', 'price', 'popularity', 'availability', 'relevance'], { message: 'sort must be one of name, price, popularity, availability, relevance' }).optional(),
  dir: z.enum(['asc', 'desc'], { message: 'dir must be asc or desc' }).optional(),
  page: z.coerce.number({ message: 'page must be a whole number' }).int({ message: 'page must be a whole number' }).min(1, { message: 'page starts at 1' }).max(100_000).default(1),
  pageSize: z.coerce.number({ message: 'pageSize must be a whole number' }).int({ message: 'pageSize must be a whole number' }).min(1, { message: 'pageSize must be between 1 and 200' }).max(200, { message: 'pageSize must be between 1 and 200' }).default(50),
});
export type TProductsQuery = z.infer<typeof ZProductsQuery>;

const ZQty = z
  .string({ message: 'qty must be a number such as 1 or 2.5' })
  .trim()
  .regex(/^\d{1,12}(\.\d{1,6})?$/, { message: 'qty must be a positive number such as 1 or 2.5' })
  .refine((v) => Number(v) > 0, { message: 'qty must be more than 0' });

export const ZCardQuery = ZDealerParam.extend({
  qty: ZQty.default('1'),
  city: z.string().trim().min(1).max(200).optional(),
  warehouse: id('warehouse').optional(),
});

export const ZProductIdParam = z.object({ id: id('id') });

export const ZBreakdownQuery = ZDealerParam.extend({
  productId: id('productId'),
  qty: ZQty.default('1'),
});

export const ZSuggestQuery = ZDealerParam.extend({
  q: z.string({ message: 'q is required: the text typed so far' }).max(200, { message: 'q is longer than 200 characters' }),
  limit: z.coerce.number({ message: 'limit must be a whole number' }).int().min(1, { message: 'limit must be between 1 and 30' }).max(30, { message: 'limit must be between 1 and 30' }).default(10),
});

export const ZPriceListQuery = ZDealerParam.extend({
  format: z.enum(['json', 'csv', 'xlsx'], { message: 'format must be json, csv or xlsx' }).default('json'),
  group: id('group').optional(),
  inStock: ZFlag.optional(),
});
