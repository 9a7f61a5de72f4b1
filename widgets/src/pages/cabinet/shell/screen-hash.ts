/** The cabinet's screens as cabinet-context.tsx names them (kept free of React and the DOM, so tests run it in Node). */
const SCREENS = ['home', 'catalog', 'cart', 'quick-order', 'saved-carts', 'checkout', 'orders', 'order'] as const;
type Screen = (typeof SCREENS)[number];

export interface Nav {
  screen: Screen;
  params: Record<string, string | number | undefined>;
}

/**
 * The screen in the frame's address (#/orders, #/order/42): a reload of the frame stays on the screen, and a link
 * (a notification about an order) can open the cabinet right on that order.
 */
export function navFromHash(hash: string): Nav | null {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/');
  if (!screen || !(SCREENS as readonly string[]).includes(screen)) return null;
  if (screen === 'order') return /^\d+$/.test(id ?? '') ? { screen: 'order', params: { orderId: Number(id) } } : null;
  if (screen === 'catalog' && /^\d+$/.test(id ?? '')) return { screen: 'catalog', params: { productId: Number(id) } };
  return { screen: screen as Screen, params: {} };
}

export function hashOf(nav: Nav): string {
  const id = nav.screen === 'order' ? nav.params.orderId : nav.screen === 'catalog' ? nav.params.productId : undefined;
  return `#/${nav.screen}${id !== undefined ? `/${id}` : ''}`;
}
