import { AppError } from '../../server/http/app-error.js';
import { assertDealerInScope, can, isDealerRole, type Permission, type TWidgetSession } from '../../server/modules/access/index.js';
import type { DealerLegalEntity, DealerUser } from '../../server/modules/dealers/index.js';

export interface ItemOwnership {
  /** The Dealers item the order/claim belongs to (parentId<dealersETI>). */
  dealerItemId: number | null;
  /** The legal entity (CRM company) it was placed for. */
  companyId: number | null;
  /** The portal user who submitted it (our submittedBy field), for "own orders only" roles. */
  submittedBy: number | null;
}

/**
 * Whether a session may see an order or a claim. Staff: yes (the portal is fixed by the session). Dealer users: only
 * their dealer's; roles without `orders.read.company` only what they submitted themselves; users limited to some
 * legal entities only those entities' documents. A refusal is "not found", so foreign ids are not confirmed.
 */
export function assertItemVisible(
  session: TWidgetSession,
  dealerUser: DealerUser | null,
  legalEntities: DealerLegalEntity[],
  owner: ItemOwnership,
  kind: 'order' | 'claim',
): void {
  const what = kind === 'order' ? 'The order' : 'The claim';
  assertDealerInScope(session, owner.dealerItemId, what);
  if (!isDealerRole(session.role)) return;
  const grants = session.grants as Permission[];
  if (kind === 'order' && !can(session.role, 'orders.read.company', grants) && owner.submittedBy !== session.userId) {
    throw new AppError('NOT_FOUND', `${what} was not found`);
  }
  const allowed = dealerUser?.legalEntityIds ?? [];
  if (allowed.length > 0) {
    const companies = new Set(legalEntities.filter((e) => allowed.includes(e.id)).map((e) => e.companyId));
    if (owner.companyId === null || !companies.has(owner.companyId)) throw new AppError('NOT_FOUND', `${what} was not found`);
  }
}
