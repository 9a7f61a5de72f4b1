import type { Database } from '../../db/database.js';
import { selectRows } from '../../jobs/sql.js';

/** What pricing needs to know about a dealer: the price type (resolved) and the dealer group. */
export interface DealerPricingRow {
  id: number;
  /** The Dealers smart-process item id: what widget sessions carry as dealerId. */
  b24ItemId: number;
  title: string;
  /** dealers.price_type_erp_id, else the ERP customer's agreement price type; null: the portal default applies. */
  priceTypeErpId: string | null;
  group: string | null;
  erpCustomerId: string | null;
  ownPriceTypeErpId: string | null;
}

/** Who a dealer is to a rule's audience (audienceMatches); no row (staff at base prices) is in no group. */
export function audienceProfileOf(row: Pick<DealerPricingRow, 'id' | 'group'> | undefined): { dealerId: number; groups: string[] } {
  return { dealerId: row?.id ?? 0, groups: row?.group ? [row.group] : [] };
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/**
 * Every dealer of a portal with what pricing needs, kept in memory (3,000 dealers are a few hundred KB). A refresh
 * reads the few pricing columns of all of them and compares: exact whatever the timestamps say (a DATETIME without
 * fractions on MariaDB holds two writes of one second alike), so a change of one dealer re-signs that dealer only.
 */
export class DealerDirectory {
  private readonly dealers = new Map<number, DealerPricingRow>();
  private readonly byItem = new Map<number, number>();
  private customerPriceType = new Map<string, string>();
  loaded = false;

  get(id: number): DealerPricingRow | undefined {
    return this.dealers.get(id);
  }

  /** dealers.id of a Dealers item (sessions name dealers by item id), no query. */
  idOfItem(b24ItemId: number): number | undefined {
    return this.byItem.get(b24ItemId);
  }

  all(): IterableIterator<DealerPricingRow> {
    return this.dealers.values();
  }

  get size(): number {
    return this.dealers.size;
  }

  /** Loads every dealer and the ERP customers' price types. */
  async loadAll(db: Database, portalId: number): Promise<void> {
    await this.refresh(db, portalId, { customersChanged: true });
  }

  /** Re-reads the dealers; returns the ids whose pricing inputs changed (added, changed or removed). */
  async refresh(db: Database, portalId: number, options: { customersChanged?: boolean } = {}): Promise<number[]> {
    if (options.customersChanged || !this.loaded) await this.loadCustomers(db, portalId);
    const rows = await selectRows<Row>(db, 'SELECT id, b24_item_id, title, price_type_erp_id, dealer_group, erp_customer_id FROM dealers WHERE portal_id = :portalId', { portalId });
    const changed: number[] = [];
    const seen = new Set<number>();
    for (const r of rows) {
      const after = this.toRow(r);
      seen.add(after.id);
      this.byItem.set(after.b24ItemId, after.id);
      const before = this.dealers.get(after.id);
      if (!before || before.priceTypeErpId !== after.priceTypeErpId || before.group !== after.group || before.title !== after.title) {
        this.dealers.set(after.id, after);
        if (this.loaded) changed.push(after.id);
      }
    }
    for (const [id, row] of [...this.dealers.entries()]) {
      if (seen.has(id)) continue;
      this.dealers.delete(id);
      if (this.byItem.get(row.b24ItemId) === id) this.byItem.delete(row.b24ItemId);
      changed.push(id);
    }
    this.loaded = true;
    return changed;
  }

  private async loadCustomers(db: Database, portalId: number): Promise<void> {
    const rows = await selectRows<Row>(db, 'SELECT erp_id, price_type_erp_id FROM erp_customers WHERE portal_id = :portalId AND price_type_erp_id IS NOT NULL AND deleted = 0', { portalId });
    this.customerPriceType = new Map(rows.map((r) => [String(r.erp_id), String(r.price_type_erp_id)]));
  }

  private toRow(r: Row): DealerPricingRow {
    const own = str(r.price_type_erp_id);
    const customer = str(r.erp_customer_id);
    return {
      id: Number(r.id),
      b24ItemId: Number(r.b24_item_id),
      title: String(r.title ?? ''),
      ownPriceTypeErpId: own,
      erpCustomerId: customer,
      priceTypeErpId: own ?? (customer ? (this.customerPriceType.get(customer) ?? null) : null),
      group: str(r.dealer_group),
    };
  }
}
