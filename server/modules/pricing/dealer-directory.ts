import type { Database } from '../../db/database.js';
import { fromSqlTime, selectRows, sqlTime } from '../../jobs/sql.js';

/** What pricing needs to know about a dealer: the price type (resolved) and the dealer group. */
export interface DealerPricingRow {
  id: number;
  title: string;
  /** dealers.price_type_erp_id, else the ERP customer's agreement price type; null: the portal default applies. */
  priceTypeErpId: string | null;
  group: string | null;
  erpCustomerId: string | null;
  ownPriceTypeErpId: string | null;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** How far back a refresh re-reads: a write whose transaction committed after a newer one is still seen. */
const REREAD_MS = 60_000;

/**
 * Every dealer of a portal with what pricing needs, kept in memory (3,000 dealers are a few hundred KB) and refreshed
 * from the dealers table by updated_at, so a change of one dealer invalidates that dealer only, on every instance.
 */
export class DealerDirectory {
  private readonly dealers = new Map<number, DealerPricingRow>();
  private customerPriceType = new Map<string, string>();
  private lastWrite: Date | null = null;
  private count = 0;
  loaded = false;

  get(id: number): DealerPricingRow | undefined {
    return this.dealers.get(id);
  }

  all(): IterableIterator<DealerPricingRow> {
    return this.dealers.values();
  }

  /** Loads every dealer and the ERP customers' price types. */
  async loadAll(db: Database, portalId: number): Promise<void> {
    await this.loadCustomers(db, portalId);
    const rows = await selectRows<Row>(db, 'SELECT id, title, price_type_erp_id, dealer_group, erp_customer_id, updated_at FROM dealers WHERE portal_id = :portalId', { portalId });
    this.dealers.clear();
    this.lastWrite = null;
    for (const r of rows) this.put(r);
    this.count = rows.length;
    this.loaded = true;
  }

  /**
   * Re-reads dealers written lately; returns the ids whose pricing inputs changed, or 'all' when dealers were removed
   * (a count that went down) or the ERP customers' price types moved.
   */
  async refresh(db: Database, portalId: number, options: { customersChanged?: boolean } = {}): Promise<number[] | 'all'> {
    if (!this.loaded || options.customersChanged) {
      await this.loadAll(db, portalId);
      return 'all';
    }
    const [c] = await selectRows<Row>(db, 'SELECT COUNT(*) AS n FROM dealers WHERE portal_id = :portalId', { portalId });
    if (Number(c?.n ?? 0) < this.count) {
      await this.loadAll(db, portalId);
      return 'all';
    }
    const since = new Date((this.lastWrite?.getTime() ?? 0) - REREAD_MS);
    const rows = await selectRows<Row>(
      db,
      'SELECT id, title, price_type_erp_id, dealer_group, erp_customer_id, updated_at FROM dealers WHERE portal_id = :portalId AND updated_at >= :since',
      { portalId, since: sqlTime(since, db.dialect) },
    );
    const changed: number[] = [];
    for (const r of rows) {
      const before = this.dealers.get(Number(r.id));
      const after = this.put(r);
      if (!before || before.priceTypeErpId !== after.priceTypeErpId || before.group !== after.group || before.title !== after.title) changed.push(after.id);
    }
    this.count = Math.max(this.count, Number(c?.n ?? 0));
    return changed;
  }

  private async loadCustomers(db: Database, portalId: number): Promise<void> {
    const rows = await selectRows<Row>(db, 'SELECT erp_id, price_type_erp_id FROM erp_customers WHERE portal_id = :portalId AND price_type_erp_id IS NOT NULL AND deleted = 0', { portalId });
    this.customerPriceType = new Map(rows.map((r) => [String(r.erp_id), String(r.price_type_erp_id)]));
  }

  private put(r: Row): DealerPricingRow {
    const own = str(r.price_type_erp_id);
    const customer = str(r.erp_customer_id);
    const dealer: DealerPricingRow = {
      id: Number(r.id),
      title: String(r.title ?? ''),
      ownPriceTypeErpId: own,
      erpCustomerId: customer,
      priceTypeErpId: own ?? (customer ? (this.customerPriceType.get(customer) ?? null) : null),
      group: str(r.dealer_group),
    };
    this.dealers.set(dealer.id, dealer);
    const at = fromSqlTime(r.updated_at);
    if (at && (!this.lastWrite || at > this.lastWrite)) this.lastWrite = at;
    return dealer;
  }
}
