import { describe, expect, it } from 'vitest';
import { evaluateCredit, robotDedupKey, ZRobotCall } from '../../../robots/index.js';
import { parseRobotDocument } from '../../../robots/robot-document.js';
import { mapProductRow, totalsOf } from '../../../placements/api/read-product-rows.js';
import type { DealerFinance } from '../../../server/modules/dealers/index.js';

const finance = (over: Partial<DealerFinance> = {}): DealerFinance => ({
  currency: 'RUB', erpCustomerIds: ['a'], hasErpData: true, debt: '30000.00', overdue: '0.00', overdueDays: 0, creditLimit: '100000.00', creditLimitSource: 'dealer', availableCredit: '70000.00', asOf: '2026-11-23', otherCurrencies: [], ...over,
});
const dealer = { stage: 'active' as const, blockOverLimit: true, blockOverdueDays: 10 as number | null, currency: 'RUB' };

describe('credit rule', () => {
  it('when the total fits, then ok; when it exceeds with blocking on, blocked; with blocking off, ok with a warning', () => {
    expect(evaluateCredit({ orderTotal: '70000.00', orderCurrency: 'RUB', dealer, finance: finance() }, 'en')).toMatchObject({ result: 'ok', availableCredit: '70000.00' });
    expect(evaluateCredit({ orderTotal: '70000.01', orderCurrency: 'RUB', dealer, finance: finance() }, 'en')).toMatchObject({ result: 'blocked' });
    expect(evaluateCredit({ orderTotal: '70000.01', orderCurrency: 'RUB', dealer: { ...dealer, blockOverLimit: false }, finance: finance() }, 'en').message).toMatch(/blocking over the limit is off/);
  });

  it('when overdue days pass the rule, then blocked; at the rule exactly, not blocked', () => {
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'RUB', dealer, finance: finance({ overdue: '10.00', overdueDays: 11 }) }).result).toBe('blocked');
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'RUB', dealer, finance: finance({ overdue: '10.00', overdueDays: 10 }) }).result).toBe('ok');
  });

  it('when there are no ERP figures, a rule that needs them errs; without rules it is ok; paused dealers and foreign currency do not pass', () => {
    const none = finance({ hasErpData: false, debt: null, overdue: null, overdueDays: null, availableCredit: null });
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'RUB', dealer, finance: none }).result).toBe('error');
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'RUB', dealer: { ...dealer, blockOverLimit: false, blockOverdueDays: null }, finance: none }).result).toBe('ok');
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'RUB', dealer: { ...dealer, stage: 'paused' }, finance: finance() }).result).toBe('blocked');
    expect(evaluateCredit({ orderTotal: '1.00', orderCurrency: 'USD', dealer, finance: finance() }).result).toBe('error');
  });
});

describe('robot call parsing', () => {
  it('when the portal posts PHP-style fields, then document ids and properties parse; the dedup key fits the queue column', () => {
    const call = ZRobotCall.parse({
      event_token: 'abc|A1_2|' + 'x'.repeat(60),
      document_id: { 0: 'crm', 1: 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', 2: 'DYNAMIC_1036_15' },
      properties: { message: 'hi' },
      auth: { member_id: 'm', application_token: 't', user_id: '3' },
    });
    expect(call.document_id[2]).toBe('DYNAMIC_1036_15');
    expect(call.auth?.user_id).toBe(3);
    expect(robotDedupKey(7, 'short')).toBe('robot:7:short');
    const long = robotDedupKey(7, 'y'.repeat(400));
    expect(long.length).toBeLessThanOrEqual(191);
    expect(long).toMatch(/^robot:7:h:/);
    expect(() => ZRobotCall.parse({ document_id: ['crm'] })).toThrow();
  });

  it('when a document id names a smart process of ours, then it resolves to our key', () => {
    const settings = { installer: { smartProcesses: { orders: { entityTypeId: 1036, typeId: 8, categoryId: 3, title: 'Заказы', stages: {}, fields: {} } } } };
    expect(parseRobotDocument(['crm', 'x', 'DYNAMIC_1036_15'], settings)).toEqual({ entityTypeId: 1036, itemId: 15, key: 'orders' });
    expect(parseRobotDocument(['crm', 'CCrmDocumentDeal', 'DEAL_5'], settings)).toBeNull();
    expect(parseRobotDocument(['crm', 'x', 'DYNAMIC_2000_1'], settings)?.key).toBeNull();
  });
});

describe('product rows', () => {
  it('when rows come as JSON numbers, then sums are exact decimal strings', () => {
    const lines = [
      mapProductRow({ id: 1, productName: 'A', price: 0.1, quantity: 3, discountSum: 0.05, taxRate: 20, taxIncluded: 'Y', measureName: 'шт' }),
      mapProductRow({ id: 2, productName: 'B', price: 1234.565, quantity: 1.5 }),
    ];
    expect(lines.map((l) => [l.price, l.quantity, l.sum])).toEqual([
      ['0.10', '3', '0.30'],
      ['1234.57', '1.5', '1851.86'],
    ]);
    expect(totalsOf(lines)).toEqual({ lines: 2, quantity: '4.5', discount: '0.15', amount: '1852.16' });
  });
});
