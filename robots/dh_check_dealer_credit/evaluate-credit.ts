import { Dec, type DecimalString } from '../../server/lib/decimal.js';
import type { Dealer, DealerFinance } from '../../server/modules/dealers/index.js';
import type { RobotResult } from '../robot.types.js';

export interface CreditVerdict {
  result: RobotResult;
  message: string;
  /** limit − debt, when both are known; '' otherwise. */
  availableCredit: DecimalString | '';
}

type Lang = 'ru' | 'en';

const T = {
  paused: { ru: (s: string) => `дилер в стадии «${s}»: заказы не принимаются`, en: (s: string) => `the dealer is ${s}: orders are not accepted` },
  currency: { ru: (o: string, d: string) => `валюта заказа ${o} не совпадает с валютой кредитного лимита дилера ${d}`, en: (o: string, d: string) => `the order currency ${o} differs from the dealer's credit currency ${d}` },
  noErp: { ru: 'нет данных ERP о долге и просрочке дилера: проверить кредит нельзя', en: 'no ERP data on the dealer debt and overdue: the credit cannot be checked' },
  overdue: { ru: (d: number, max: number, sum: string) => `просрочка ${d} дн. (${sum}) больше допустимых ${max} дн.`, en: (d: number, max: number, sum: string) => `overdue for ${d} days (${sum}) exceeds the allowed ${max} days` },
  over: { ru: (t: string, a: string, l: string, debt: string) => `сумма заказа ${t} больше доступного кредита ${a} (лимит ${l}, долг ${debt})`, en: (t: string, a: string, l: string, debt: string) => `the order total ${t} exceeds the available credit ${a} (limit ${l}, debt ${debt})` },
  overSoft: { ru: (t: string, a: string) => `сумма заказа ${t} больше доступного кредита ${a}, но блокировка по лимиту выключена`, en: (t: string, a: string) => `the order total ${t} exceeds the available credit ${a}, but blocking over the limit is off` },
  within: { ru: (t: string, a: string) => `сумма заказа ${t} в пределах доступного кредита ${a}`, en: (t: string, a: string) => `the order total ${t} is within the available credit ${a}` },
  noLimit: { ru: 'кредитный лимит дилеру не задан', en: 'the dealer has no credit limit' },
};

const money = (v: string, currency: string) => `${v} ${currency}`;

/**
 * The credit rule of an order, as data in and a verdict out (unit-tested): the dealer's stage, then overdue against
 * "block when overdue more than N days", then the order total against limit − debt when "block over the limit" is on.
 * Without ERP figures a rule that needs them cannot pass: the answer is `error`, never a silent `ok`.
 */
export function evaluateCredit(
  input: { orderTotal: DecimalString; orderCurrency: string; dealer: Pick<Dealer, 'stage' | 'blockOverLimit' | 'blockOverdueDays' | 'currency'>; finance: DealerFinance },
  lang: Lang = 'ru',
): CreditVerdict {
  const { dealer, finance } = input;
  const available = finance.availableCredit ?? '';
  if (dealer.stage === 'paused' || dealer.stage === 'closed') return { result: 'blocked', message: T.paused[lang](dealer.stage), availableCredit: available };
  if (input.orderCurrency !== dealer.currency) return { result: 'error', message: T.currency[lang](input.orderCurrency, dealer.currency), availableCredit: available };
  const limitRule = dealer.blockOverLimit && finance.creditLimit !== null;
  const overdueRule = dealer.blockOverdueDays !== null;
  if (!finance.hasErpData) {
    if (limitRule || overdueRule) return { result: 'error', message: T.noErp[lang], availableCredit: '' };
    return { result: 'ok', message: T.noLimit[lang], availableCredit: '' };
  }
  if (overdueRule && new Dec(finance.overdue ?? '0').gt(0) && (finance.overdueDays ?? 0) > (dealer.blockOverdueDays ?? 0)) {
    return { result: 'blocked', message: T.overdue[lang](finance.overdueDays ?? 0, dealer.blockOverdueDays ?? 0, money(finance.overdue ?? '0', dealer.currency)), availableCredit: available };
  }
  if (finance.creditLimit === null || finance.availableCredit === null) return { result: 'ok', message: T.noLimit[lang], availableCredit: '' };
  const total = money(input.orderTotal, dealer.currency);
  const avail = money(finance.availableCredit, dealer.currency);
  if (new Dec(input.orderTotal).gt(finance.availableCredit)) {
    if (dealer.blockOverLimit) {
      return { result: 'blocked', message: T.over[lang](total, avail, money(finance.creditLimit, dealer.currency), money(finance.debt ?? '0', dealer.currency)), availableCredit: finance.availableCredit };
    }
    return { result: 'ok', message: T.overSoft[lang](total, avail), availableCredit: finance.availableCredit };
  }
  return { result: 'ok', message: T.within[lang](total, avail), availableCredit: finance.availableCredit };
}
