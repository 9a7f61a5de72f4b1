import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/use-api.js';
import { useCabinet } from '../cabinet-context.js';
import type { CartView } from './shop-types.js';
import { useShopParams } from './use-shop-api.js';

/**
 * The current cart of the chosen legal entity: loaded from GET /api/cart, replaced at once by the cart a change
 * answers with, and reloaded when another screen reports a change (cartVersion).
 */
export function useCart() {
  const params = useShopParams();
  const { cartVersion } = useCabinet();
  const state = useApi<CartView>('/cart', params.cart);
  const [local, setLocal] = useState<CartView | null>(null);
  const { reload } = state;
  useEffect(() => setLocal(null), [state.data]);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [cartVersion, reload]);
  return { ...state, data: local ?? state.data, set: setLocal };
}
