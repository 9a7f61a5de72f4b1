import { QueryTypes, type Sequelize } from 'sequelize';
import { toDecimal, type DecimalString } from '../../lib/decimal.js';

/**
 * Read-only access to the ERP read model (server/db/migrations/20261123-0201-erp-read-model.ts) that dealers need:
 * customers by INN (to link a legal entity to its ERP counterparty) and the finance snapshot (debt, overdue) by ERP id.
 */
export interface ErpCustomerRef {
  erpId: string;
  name: string;
  inn: string | null;
  kpp: string | null;
}

export interface ErpFinanceRow {
  erpId: string;
  currency: string;
  debt: DecimalString;
  overdue: DecimalString;
  overdueDays: number | null;
  creditLimit: DecimalString | null;
  creditLimitEnforced: boolean;
  paymentTermDays: number | null;
  asOf: string;
}

type Row = Record<string, unknown>;

export function createErpCustomersRepository(sequelize: Sequelize) {
  return {
    async findByInns(portalId: number, inns: string[]): Promise<ErpCustomerRef[]> {
      const list = [...new Set(inns.filter(Boolean))];
      if (list.length === 0) return [];
      const rows = await sequelize.query<Row>(
        'SELECT erp_id, name, inn, kpp FROM erp_customers WHERE portal_id = :portalId AND inn IN (:inns) AND deleted = :no ORDER BY is_stub, id',
        { replacements: { portalId, inns: list, no: false }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({ erpId: String(r.erp_id), name: String(r.name ?? ''), inn: (r.inn as string | null) ?? null, kpp: (r.kpp as string | null) ?? null }));
    },

    async finance(portalId: number, erpIds: string[]): Promise<ErpFinanceRow[]> {
      const list = [...new Set(erpIds.filter(Boolean))];
      if (list.length === 0) return [];
      const rows = await sequelize.query<Row>(
        `SELECT c.erp_id, f.currency, f.debt, f.overdue, f.overdue_days, f.credit_limit, f.credit_limit_enforced, f.payment_term_days, f.as_of
         FROM erp_customer_finance f JOIN erp_customers c ON c.id = f.customer_id AND c.portal_id = f.portal_id
         WHERE f.portal_id = :portalId AND c.erp_id IN (:erpIds) ORDER BY c.erp_id, f.currency`,
        { replacements: { portalId, erpIds: list }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({
        erpId: String(r.erp_id),
        currency: String(r.currency),
        debt: toDecimal(r.debt as string, 2),
        overdue: toDecimal(r.overdue as string, 2),
        overdueDays: r.overdue_days === null || r.overdue_days === undefined ? null : Number(r.overdue_days),
        creditLimit: r.credit_limit === null || r.credit_limit === undefined ? null : toDecimal(r.credit_limit as string, 2),
        creditLimitEnforced: r.credit_limit_enforced === true || r.credit_limit_enforced === 1 || r.credit_limit_enforced === '1',
        paymentTermDays: r.payment_term_days === null || r.payment_term_days === undefined ? null : Number(r.payment_term_days),
        asOf: String(r.as_of),
      }));
    },
  };
}

export type ErpCustomersRepository = ReturnType<typeof createErpCustomersRepository>;

/** Picks the ERP customer for a legal entity: same INN, and the same KPP when both sides have one. */
export function matchErpCustomer(refs: ErpCustomerRef[], inn: string | null, kpp: string | null): ErpCustomerRef | null {
  if (!inn) return null;
  const sameInn = refs.filter((r) => r.inn === inn);
  if (kpp) {
    const exact = sameInn.find((r) => r.kpp === kpp);
    if (exact) return exact;
    return sameInn.find((r) => !r.kpp) ?? (sameInn.length === 1 ? sameInn[0]! : null);
  }
  return sameInn[0] ?? null;
}
