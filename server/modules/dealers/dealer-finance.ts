import { Dec, type DecimalString } from '../../lib/decimal.js';
import type { Dealer, DealerLegalEntity } from './dealer.types.js';
import type { ErpFinanceRow } from './erp-customers.repository.js';

export interface DealerFinance {
  currency: string;
  /** ERP counterparties the figures are summed over (the dealer's own and its legal entities'). */
  erpCustomerIds: string[];
  /** False when the ERP read model has no finance snapshot for any of them: figures below are then unknown, not 0. */
  hasErpData: boolean;
  debt: DecimalString | null;
  overdue: DecimalString | null;
  overdueDays: number | null;
  /** The Dealers card's limit; the ERP's when the card has none. */
  creditLimit: DecimalString | null;
  creditLimitSource: 'dealer' | 'erp' | null;
  /** creditLimit − debt (negative when over the limit); null without a limit or without ERP data. */
  availableCredit: DecimalString | null;
  /** The oldest snapshot time among the counterparties. */
  asOf: string | null;
  /** Snapshot rows in other currencies than the dealer's (not summed). */
  otherCurrencies: string[];
}

export function erpIdsOf(dealer: Pick<Dealer, 'erpCustomerId'>, entities: Array<Pick<DealerLegalEntity, 'erpCustomerId'>>): string[] {
  return [...new Set([dealer.erpCustomerId, ...entities.map((e) => e.erpCustomerId)].filter((v): v is string => Boolean(v)))];
}

/** The holding's finance in the dealer's currency, from the ERP snapshot (decimal arithmetic only). */
export function summarizeFinance(dealer: Pick<Dealer, 'erpCustomerId' | 'creditLimit' | 'currency'>, entities: Array<Pick<DealerLegalEntity, 'erpCustomerId'>>, rows: ErpFinanceRow[]): DealerFinance {
  const erpCustomerIds = erpIdsOf(dealer, entities);
  const mine = rows.filter((r) => erpCustomerIds.includes(r.erpId));
  const same = mine.filter((r) => r.currency === dealer.currency);
  const otherCurrencies = [...new Set(mine.filter((r) => r.currency !== dealer.currency).map((r) => r.currency))];
  const hasErpData = same.length > 0;
  const sum = (pick: (r: ErpFinanceRow) => string) => same.reduce((acc, r) => acc.plus(pick(r)), new Dec(0)).toFixed(2) as DecimalString;
  const debt = hasErpData ? sum((r) => r.debt) : null;
  const overdue = hasErpData ? sum((r) => r.overdue) : null;
  const overdueDays = same.reduce<number | null>((max, r) => (r.overdueDays === null ? max : Math.max(max ?? 0, r.overdueDays)), null);
  const erpLimits = same.filter((r) => r.creditLimit !== null);
  const creditLimit = dealer.creditLimit ?? (erpLimits.length ? (erpLimits.reduce((acc, r) => acc.plus(r.creditLimit!), new Dec(0)).toFixed(2) as DecimalString) : null);
  const creditLimitSource = dealer.creditLimit ? 'dealer' : erpLimits.length ? 'erp' : null;
  const availableCredit = creditLimit !== null && debt !== null ? (new Dec(creditLimit).minus(debt).toFixed(2) as DecimalString) : null;
  const asOf = same.map((r) => r.asOf).sort()[0] ?? null;
  return { currency: dealer.currency, erpCustomerIds, hasErpData, debt, overdue, overdueDays: hasErpData ? overdueDays : null, creditLimit, creditLimitSource, availableCredit, asOf, otherCurrencies };
}
