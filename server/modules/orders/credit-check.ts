import { evaluateCredit, type CreditVerdict } from '../../../robots/dh_check_dealer_credit/evaluate-credit.js';
import type { AppContext } from '../../context.js';
import { Dec, type DecimalString } from '../../lib/decimal.js';
import { createErpCustomersRepository, erpIdsOf, summarizeFinance, type Dealer, type DealerFinance } from '../dealers/index.js';

export type CreditReason = 'dealer_inactive' | 'overdue' | 'over_limit' | 'currency' | 'no_erp_data' | 'within_limit' | 'no_limit' | 'over_limit_allowed';

export interface CreditCheck {
  /** ok: may submit; blocked: a blocking rule says no (checkout refuses); error: cannot be checked (submit allowed, the robot re-checks). */
  result: CreditVerdict['result'];
  reason: CreditReason;
  message: string;
  orderTotal: DecimalString;
  currency: string;
  availableCredit: DecimalString | null;
  creditLimit: DecimalString | null;
  debt: DecimalString | null;
  /** How much the order exceeds the available credit (over_limit). */
  overBy: DecimalString | null;
  overdue: DecimalString | null;
  overdueDays: number | null;
  allowedOverdueDays: number | null;
  asOf: string | null;
}

function reasonOf(verdict: CreditVerdict, dealer: Dealer, finance: DealerFinance, total: string, currency: string): CreditReason {
  if (dealer.stage === 'paused' || dealer.stage === 'closed') return 'dealer_inactive';
  if (currency !== dealer.currency) return 'currency';
  if (verdict.result === 'error') return 'no_erp_data';
  if (verdict.result === 'blocked') {
    return dealer.blockOverdueDays !== null && (finance.overdueDays ?? 0) > dealer.blockOverdueDays && new Dec(finance.overdue ?? '0').gt(0) ? 'overdue' : 'over_limit';
  }
  if (finance.availableCredit === null) return 'no_limit';
  return new Dec(total).gt(finance.availableCredit) ? 'over_limit_allowed' : 'within_limit';
}

/**
 * The checkout's credit check: the dealer's blocking rules (robots/dh_check_dealer_credit/evaluate-credit.ts, the
 * same rule the CheckDealerCredit robot applies in Bitrix24) over the ERP finance snapshot of the holding, with the
 * figures a dealer needs to understand a refusal (over the limit by X, overdue N days > M).
 */
export async function checkOrderCredit(ctx: AppContext, dealer: Dealer, orderTotal: DecimalString, currency: string, lang: 'ru' | 'en'): Promise<CreditCheck> {
  const legalEntities = await ctx.dealers.legalEntities(dealer.portalId, dealer.id);
  const rows = await createErpCustomersRepository(ctx.db.sequelize).finance(dealer.portalId, erpIdsOf(dealer, legalEntities));
  const finance = summarizeFinance(dealer, legalEntities, rows);
  const verdict = evaluateCredit({ orderTotal, orderCurrency: currency, dealer, finance }, lang);
  const reason = reasonOf(verdict, dealer, finance, orderTotal, currency);
  return {
    result: verdict.result,
    reason,
    message: verdict.message,
    orderTotal,
    currency,
    availableCredit: finance.availableCredit,
    creditLimit: finance.creditLimit,
    debt: finance.debt,
    overBy: (reason === 'over_limit' || reason === 'over_limit_allowed') && finance.availableCredit !== null ? (new Dec(orderTotal).minus(finance.availableCredit).toFixed(2) as DecimalString) : null,
    overdue: finance.overdue,
    overdueDays: finance.overdueDays,
    allowedOverdueDays: dealer.blockOverdueDays,
    asOf: finance.asOf,
  };
}
