import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/http/app-error.js';
import type { RequestScope } from '../../server/modules/access/index.js';
import { requireSmartProcess, syncDealerItem } from '../../server/modules/dealers/index.js';
import { loadDealer, readDealerCard, type DealerCard } from './read-dealer-card.js';

/**
 * PATCH /api/dealers/:id/terms — a manager changes the dealer's credit terms and blocking rules from the dealer tab.
 * `null` clears a value (no limit / no overdue rule).
 */
export const ZDealerTermsPatch = z
  .object({
    creditLimit: z
      .string()
      .trim()
      .regex(/^\d{1,13}(\.\d{1,2})?$/, 'expected the credit limit as a decimal such as 500000.00 (a dot, no spaces)')
      .nullable()
      .optional(),
    paymentTermDays: z.number().int().min(0).max(365, { message: 'at most 365 days' }).nullable().optional(),
    blockOverLimit: z.boolean().optional(),
    blockOverdueDays: z.number().int().min(0).max(365, { message: 'at most 365 days' }).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one of creditLimit, paymentTermDays, blockOverLimit, blockOverdueDays' });
export type TDealerTermsPatch = z.infer<typeof ZDealerTermsPatch>;

/**
 * The Dealers card in Bitrix24 is where the terms live (the read model is synced from it), so the change is written
 * there with crm.item.update and the item is synced back at once: the CRM card, its history and our credit check
 * agree. Audited with the old and new values.
 */
export async function updateDealerTerms(ctx: AppContext, scope: RequestScope, dealerItemId: number, patch: TDealerTermsPatch): Promise<DealerCard> {
  const { portal, session } = scope;
  const before = await loadDealer(ctx, portal.id, dealerItemId);
  const sp = requireSmartProcess(portal.settings, 'dealers');
  const field = (key: string) => {
    const f = sp.fields[key];
    if (!f) throw new AppError('UNAVAILABLE', `The Dealers card has no "${key}" field on this portal; run the installer again`);
    return f.restName;
  };
  const fields: Record<string, unknown> = {};
  if (patch.creditLimit !== undefined) fields[field('creditLimit')] = patch.creditLimit === null ? '' : `${patch.creditLimit}|${before.currency}`;
  if (patch.paymentTermDays !== undefined) fields[field('paymentTermDays')] = patch.paymentTermDays ?? '';
  if (patch.blockOverLimit !== undefined) fields[field('blockOverLimit')] = patch.blockOverLimit ? 'Y' : 'N';
  if (patch.blockOverdueDays !== undefined) fields[field('blockOverdueDays')] = patch.blockOverdueDays ?? '';
  await ctx.b24.forPortal(portal.id).call('crm.item.update', { entityTypeId: sp.entityTypeId, id: dealerItemId, fields });
  const synced = await syncDealerItem(ctx, portal.id, dealerItemId);
  if (synced.status === 'removed') throw new AppError('NOT_FOUND', 'The Dealers item no longer exists in Bitrix24');
  const after = synced.dealer;
  await ctx.audit.record({
    portalId: portal.id,
    actor: `manager:${session.userId}`,
    action: 'dealer.terms.changed',
    subject: `dealer:${dealerItemId}`,
    details: {
      before: { creditLimit: before.creditLimit, paymentTermDays: before.paymentTermDays, blockOverLimit: before.blockOverLimit, blockOverdueDays: before.blockOverdueDays },
      after: { creditLimit: after.creditLimit, paymentTermDays: after.paymentTermDays, blockOverLimit: after.blockOverLimit, blockOverdueDays: after.blockOverdueDays },
    },
  });
  return readDealerCard(ctx, scope, dealerItemId);
}
