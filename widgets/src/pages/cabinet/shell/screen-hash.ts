import type { CabinetContextValue, CabinetScreen } from '../cabinet-context.js';

const SCREENS: readonly CabinetScreen[] = ['home', 'catalog', 'cart', 'quick-order', 'saved-carts', 'checkout', 'orders', 'order'];

export interface Nav {
  screen: CabinetScreen;
  params: CabinetContextValue['params'];
}

/**
 * The screen in the frame's address (#/orders, #/order/42): a reload of the frame stays on the screen, and a link
 * (a notification about an order) can open the cabinet right on that order.
 */
export function navFromHash(hash: string): Nav | null {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/');
  if (!screen || !SCREENS.includes(screen as CabinetScreen)) return null;
  if (screen === 'order') return /^\d+$/.test(id ?? '') ? { screen: 'order', params: { orderId: Number(id) } } : null;
  if (screen === 'catalog' && /^\d+$/.test(id ?? '')) return { screen: 'catalog', params: { productId: Number(id) } };
  return { screen: screen as CabinetScreen, params: {} };
}

export function hashOf(nav: Nav): string {
  const id = nav.screen === 'order' ? nav.params.orderId : nav.screen === 'catalog' ? nav.params.productId : undefined;
  return `#/${nav.screen}${id !== undefined ? `/${id}` : ''}`;
}

/** Writes the screen into the address without a history entry or a hashchange event. */
export function writeHash(nav: Nav): void {
  try {
    window.history.replaceState(window.history.state, '', hashOf(nav));
  } catch {
    // A sandboxed frame may refuse; the screen still changes.
  }
}
