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
 * The link is remembered in dealer_users (the first user of a dealer becomes its head) and re-checked against the
 * CRM on every open.
 */
export async function resolveDealerUser(ctx: AppContext, portal: Portal, user: PortalUser): Promise<DealerLink> {
  const known = await ctx.dealers.findUser(portal.id, user.id);
  // Switched off by the dealer's head or a manager: stays off whatever the CRM says.
  if (known && !known.active) return { ok: false, reason: 'inactive' };
  if (!user.email) return { ok: false, reason: 'no-email' };

  const contacts = await ctx.b24.forPortal(portal.id).call<Array<Record<string, unknown>>>('crm.contact.list', {
    filter: { EMAIL: user.email },
    select: ['ID', 'NAME', 'LAST_NAME', 'COMPANY_ID', 'COMPANY_IDS'],
    order: { ID: 'ASC' },
  });
  if (!Array.isArray(contacts) || contacts.length === 0) return { ok: false, reason: 'no-contact' };
  const bindings = contacts.map((c) => ({ contactId: Number(c.ID) || null, companyIds: crmLinkIds([c.COMPANY_ID, ...(Array.isArray(c.COMPANY_IDS) ? c.COMPANY_IDS : [])]) }));

  // The remembered link holds only while the CRM still ties the person to that dealer: someone who moved to another
  // company must not keep seeing their former dealer.
  if (known) {
    const dealer = await ctx.dealers.findById(portal.id, known.dealerId);
    if (dealer) {
      const companies = new Set([dealer.companyId, ...(await ctx.dealers.legalEntities(portal.id, dealer.id)).map((e) => e.companyId)]);
      if (bindings.some((b) => b.companyIds.some((id) => companies.has(id)))) {
        return dealer.stage === 'closed' ? { ok: false, reason: 'dealer-closed' } : { ok: true, dealer, user: known };
      }
    }
  }

  for (const binding of bindings) {
    for (const companyId of binding.companyIds) {
      const dealer = (await findDealersForCompany(ctx, portal.id, companyId))[0];
      if (!dealer) continue;
      if (dealer.stage === 'closed') return { ok: false, reason: 'dealer-closed' };
      const moved = known !== null && known.dealerId !== dealer.id;
      // A person who moved starts in the new dealer like a newcomer: head if first, else buyer; old grants dropped.
      const role = moved ? ((await ctx.dealers.listUsers(portal.id, dealer.id)).length === 0 ? 'dealer_head' : 'dealer_buyer') : undefined;
      let linked = await ctx.dealers.upsertUser(portal.id, { dealerId: dealer.id, b24UserId: user.id, contactId: binding.contactId, name: user.name, email: user.email, role });
      if (moved) {
        await ctx.dealers.updateUserAccess(portal.id, linked.id, { grants: [], legalEntityIds: [] });
        linked = (await ctx.dealers.findUser(portal.id, user.id))!;
      }
      await ctx.audit.record({
        portalId: portal.id,
        actor: 'system:placement',
        action: moved ? 'dealer.user.moved' : 'dealer.user.linked',
        subject: `dealer_user:${linked.id}`,
        details: { b24UserId: user.id, dealerItemId: dealer.b24ItemId, role: linked.role, contactId: linked.contactId, ...(moved ? { fromDealerId: known.dealerId } : {}) },
      });
      return { ok: true, dealer, user: linked };
    }
  }
  return { ok: false, reason: 'no-dealer' };
}
