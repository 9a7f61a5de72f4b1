import type { AppContext } from '../server/context.js';
import { crmLinkIds, findDealersForCompany, type Dealer, type DealerUser } from '../server/modules/dealers/index.js';
import type { Portal } from '../server/modules/portals/index.js';
import type { PortalUser } from './verify-placement.js';

export type DealerLink =
  | { ok: true; dealer: Dealer; user: DealerUser }
  | { ok: false; reason: 'no-email' | 'no-contact' | 'no-dealer' | 'inactive' | 'dealer-closed' };

/**
 * Finds the dealer an extranet user works for. Extranet users have no CRM (every crm.* call with their token answers
 * 403 allowed_only_intranet_user, api-reference/user/index.md), so everything here runs with the portal's APP token:
 * the user's e-mail → the CRM contact with that e-mail → its companies → the Dealers item whose company or holding
 * legal entity is one of them. The read model answers first; a company it does not know is looked up in the portal
 * (crm.item.list by companyId, then by the legal-entities field) and the items found are synced.
 * The link is remembered in dealer_users (the first user of a dealer becomes its head).
 */
export async function resolveDealerUser(ctx: AppContext, portal: Portal, user: PortalUser): Promise<DealerLink> {
  const known = await ctx.dealers.findUser(portal.id, user.id);
  if (known) {
    const dealer = await ctx.dealers.findById(portal.id, known.dealerId);
    if (dealer) {
      if (!known.active) return { ok: false, reason: 'inactive' };
      if (dealer.stage === 'closed') return { ok: false, reason: 'dealer-closed' };
      return { ok: true, dealer, user: known };
    }
  }
  if (!user.email) return { ok: false, reason: 'no-email' };

  const contacts = await ctx.b24.forPortal(portal.id).call<Array<Record<string, unknown>>>('crm.contact.list', {
    filter: { EMAIL: user.email },
    select: ['ID', 'NAME', 'LAST_NAME', 'COMPANY_ID', 'COMPANY_IDS'],
    order: { ID: 'ASC' },
  });
  if (!Array.isArray(contacts) || contacts.length === 0) return { ok: false, reason: 'no-contact' };

  for (const contact of contacts) {
    const companyIds = crmLinkIds([contact.COMPANY_ID, ...(Array.isArray(contact.COMPANY_IDS) ? contact.COMPANY_IDS : [])]);
    for (const companyId of companyIds) {
      const dealer = (await findDealersForCompany(ctx, portal.id, companyId))[0];
      if (!dealer) continue;
      if (dealer.stage === 'closed') return { ok: false, reason: 'dealer-closed' };
      const linked = await ctx.dealers.upsertUser(portal.id, { dealerId: dealer.id, b24UserId: user.id, contactId: Number(contact.ID) || null, name: user.name, email: user.email });
      await ctx.audit.record({ portalId: portal.id, actor: 'system:placement', action: 'dealer.user.linked', subject: `dealer_user:${linked.id}`, details: { b24UserId: user.id, dealerItemId: dealer.b24ItemId, role: linked.role, contactId: linked.contactId } });
      if (!linked.active) return { ok: false, reason: 'inactive' };
      return { ok: true, dealer, user: linked };
    }
  }
  return { ok: false, reason: 'no-dealer' };
}
