import { createContext, useContext } from 'react';

/** The cabinet's screens; the shell (cabinet-page.tsx) shows one at a time with a tab bar. */
export type CabinetScreen = 'home' | 'catalog' | 'cart' | 'quick-order' | 'saved-carts' | 'checkout' | 'orders' | 'order';

export interface CabinetContextValue {
  screen: CabinetScreen;
  /** Screen parameters, e.g. { orderId } for 'order', { productId } to open a product card over the catalog. */
  params: Record<string, string | number | undefined>;
  go(screen: CabinetScreen, params?: Record<string, string | number | undefined>): void;
  /**
   * Query parameters every cabinet API call adds: empty for a dealer user; for staff acting as a dealer user
   * { actAs: <Bitrix24 user id> } on cart/checkout/orders calls and { dealerId: <dealers.id> } on catalog/search calls.
   */
  scope: { cart: Record<string, number>; catalog: Record<string, number> };
  /** The legal entity (CRM company id) the cart and checkout are for; null: the dealer's main one. */
  companyId: number | null;
  setCompanyId(id: number | null): void;
  /** Bumped after anything that changes the cart, so the cart badge and screens reload. */
  cartVersion: number;
  cartChanged(): void;
}

export const CabinetContext = createContext<CabinetContextValue | null>(null);

export function useCabinet(): CabinetContextValue {
  const value = useContext(CabinetContext);
  if (!value) throw new Error('useCabinet outside of the cabinet shell');
  return value;
}
