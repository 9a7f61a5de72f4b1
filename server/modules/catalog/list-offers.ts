import { audienceMatches, audienceProfileOf, inDateWindow, type DealerPricing, type TSpecialOffer } from '../pricing/index.js';
import type { PortalCatalog } from './portal-catalog.js';

export interface OfferView {
  id: number;
  title: string;
  banner: string;
  conditions: string;
  kind: TSpecialOffer['kind'];
  value: string;
  target: TSpecialOffer['target'];
  validFrom: string | null;
  validTo: string | null;
}

/**
 * The special offers a dealer can use today (the cabinet's promotions banner): active, valid on the portal's pricing
 * day, and addressed to everybody, the dealer's group or the dealer. Staff without a dealer see the offers for all.
 */
export function listActiveOffers(catalog: PortalCatalog, pricing: DealerPricing): OfferView[] {
  const today = catalog.today();
  const who = audienceProfileOf(pricing.dealerId === null ? undefined : catalog.pricing.dealers.get(pricing.dealerId));
  return catalog.pricing.book
    .offers()
    .map((r) => r.rule as TSpecialOffer)
    .filter((o) => o.active && audienceMatches(o, who) && inDateWindow(o, today))
    .sort((a, b) => (a.validTo ?? '9999').localeCompare(b.validTo ?? '9999') || a.id - b.id)
    .map((o) => ({ id: o.id, title: o.title, banner: o.banner, conditions: o.conditions, kind: o.kind, value: o.value, target: o.target, validFrom: o.validFrom, validTo: o.validTo }));
}
