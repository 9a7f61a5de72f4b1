import { z } from 'zod';

/** Request shapes of the cart API (400s name the field). */
export const ZQty = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,3})?$/, 'expected a positive quantity such as 5 or 2.5 (a dot, at most 3 decimals)')
  .refine((v) => Number(v) > 0, 'the quantity must be greater than 0');

export const ZUnit = z.enum(['base', 'pack']);

export const ZCartQuery = z.object({
  companyId: z.coerce.number().int().positive({ message: 'expected the legal entity (CRM company) id' }).optional(),
  actAs: z.coerce.number().int().positive({ message: 'expected the Bitrix24 user id of the dealer user' }).optional(),
  stock: z.enum(['city', 'all']).default('city'),
});

export const ZAddLines = z.object({
  lines: z
    .array(z.object({ productId: z.number().int().positive(), qty: ZQty, unit: ZUnit.default('base'), note: z.string().max(500).nullish() }).strict())
    .min(1, 'at least one line')
    .max(5000, 'at most 5,000 lines at once'),
});

export const ZLinePatch = z
  .object({ qty: ZQty.optional(), unit: ZUnit.optional(), note: z.string().max(500).nullable().optional() })
  .strict()
  .refine((p) => p.qty !== undefined || p.unit !== undefined || p.note !== undefined, 'nothing to change: give qty, unit or note');

export const ZLineId = z.object({ lineId: z.coerce.number().int().positive({ message: 'expected the cart line id' }) });
export const ZCartId = z.object({ id: z.coerce.number().int().positive({ message: 'expected the saved cart id' }) });

export const ZQuickOrder = z.union([
  z.object({ text: z.string().min(1, 'paste at least one line').max(2_000_000) }).strict(),
  z.object({ fileName: z.string().min(1).max(255), contentBase64: z.string().min(1).max(14_000_000) }).strict(),
]);
export const ZQuickOrderQuery = ZCartQuery.extend({ dryRun: z.enum(['true', 'false', '1', '0']).optional(), fileName: z.string().max(255).optional() });

export const ZSaveCart = z.object({ name: z.string().trim().min(1, 'give the cart a name').max(200), note: z.string().max(2000).nullish() }).strict();
export const ZSavedPatch = z
  .object({ name: z.string().trim().min(1).max(200).optional(), note: z.string().max(2000).nullable().optional(), fromCurrent: z.boolean().optional() })
  .strict();
export const ZLoadSaved = z.object({ mode: z.enum(['add', 'replace']).default('add') }).strict();
