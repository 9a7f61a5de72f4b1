import type { Transaction } from 'sequelize';
import type { ErpDocument, ErpOrderState } from '../port.js';
import type { IngestCounts, IngestSession } from './ingest-session.js';
import { clip, fixScale, fixScaleOrNull, jsonOrNull } from './normalize.js';
import { upsertByRef, type Written } from './upsert-by-ref.js';

type Options = { transaction?: Transaction | null };

/** Invoices, waybills, UPD, acts, payments per customer: the dealer's documents list and the finance page. */
export async function ingestDocuments(session: IngestSession, documents: readonly ErpDocument[], options: Options = {}): Promise<IngestCounts> {
  const customers = session.refs.customers;
  const { counts } = await upsertByRef(
    session,
    {
      entity: 'documents',
      table: 'erp_documents',
      columns: ['kind', 'number', 'doc_date', 'customer_id', 'customer_erp_id', 'amount', 'currency', 'order_erp_id', 'order_external_id', 'posted', 'has_file'],
      erpId: (d) => d.ref.erpId,
      prepare: (items, transaction) => customers.ensure(items.map((d) => d.customerRef.erpId), session.now(), transaction),
      row: (d) => [
        d.kind,
        clip(d.number, 64) ?? '',
        clip(d.date, 32) ?? '',
        customers.get(d.customerRef.erpId)?.id ?? null,
        d.customerRef.erpId,
        fixScale(d.amount, 2),
        clip(d.currency, 8) ?? '',
        d.orderRef?.erpId ?? null,
        clip(d.orderExternalId, 64),
        d.posted,
        d.hasFile,
      ],
    },
    documents,
    options,
  );
  return counts;
}

/**
 * Order states as the ERP sees them (ERP → app direction of the order flow). Returns the states that changed, for the
 * onOrderStateChanged hook that moves the Bitrix24 stage.
 */
export async function ingestOrderStates(
  session: IngestSession,
  states: readonly ErpOrderState[],
  options: Options = {},
): Promise<{ counts: IngestCounts; changed: Array<Written<ErpOrderState>> }> {
  const { counts, written } = await upsertByRef(
    session,
    {
      entity: 'orderStates',
      table: 'erp_order_states',
      columns: ['external_id', 'number', 'status', 'raw_status', 'posted', 'total', 'line_items', 'erp_updated_at'],
      erpId: (s) => s.erpRef.erpId,
      row: (s) => [
        clip(s.externalId, 64),
        clip(s.number, 64) ?? '',
        s.status,
        clip(s.rawStatus, 200) ?? '',
        s.posted,
        fixScaleOrNull(s.total, 2),
        jsonOrNull(s.lines),
        clip(s.updatedAt, 32),
      ],
    },
    states,
    options,
  );
  return { counts, changed: written };
}
