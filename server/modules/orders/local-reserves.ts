import type { AppContext } from '../../context.js';
import { selectRows } from '../../jobs/sql.js';
import { Dec } from '../../lib/decimal.js';
import type { CatalogPort, StockScope } from '../carts/index.js';
import type { Dealer } from '../dealers/index.js';

/** Where DealerHub reserves a dealer's goods from: the warehouses of the dealer's city when there are any, else all. */
export function reserveScopeOf(port: CatalogPort, dealer: Pick<Dealer, 'city'> | null): StockScope {
  return dealer?.city && port.hasCity(dealer.city) ? { city: dealer.city } : {};
}

/**
 * What DealerHub itself reserved of each product from the synced stock (orders the ERP has not taken yet: once it
 * posts one, its reserve is in the ERP's own available figure). The ERP's stock does not know these reserves, so
 * they are taken off before another order is reserved or the waiting lines are served.
 */
export async function localReserves(ctx: AppContext, portalId: number, options: { exceptOrderId?: number } = {}): Promise<Map<number, InstanceType<typeof Dec>>> {
  const rows = await selectRows<{ product_id: number; reserved_qty: string }>(
    ctx.db,
    `SELECT l.product_id, l.reserved_qty FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE l.portal_id = :portalId AND l.product_id IS NOT NULL AND l.reserved_qty IS NOT NULL
        AND o.stage_key NOT IN ('cancelled', 'delivered') AND (o.erp_handoff IS NULL OR o.erp_handoff NOT IN ('posted', 'created'))
        AND o.id <> :exceptOrderId`,
    { portalId, exceptOrderId: options.exceptOrderId ?? 0 },
  );
  const out = new Map<number, InstanceType<typeof Dec>>();
  for (const r of rows) out.set(Number(r.product_id), (out.get(Number(r.product_id)) ?? new Dec(0)).plus(r.reserved_qty));
  return out;
}
