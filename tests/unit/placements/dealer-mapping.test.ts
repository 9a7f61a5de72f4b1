import { describe, expect, it } from 'vitest';
import { crmLinkId, crmLinkIds, dealerStageOf, installedSmartProcess, mapDealerItem, matchErpCustomer, summarizeFinance, ufBool, ufMoney } from '../../../server/modules/dealers/index.js';

const settings = {
  installer: {
    schema: 1,
    manifestVersion: 1,
    smartProcesses: {
      dealers: {
        typeId: 7,
        entityTypeId: 1034,
        categoryId: 5,
        title: 'Дилеры',
        stages: { onboarding: 'DT1034_5:ONBOARDING', active: 'DT1034_5:ACTIVE', paused: 'DT1034_5:PAUSED', closed: 'DT1034_5:CLOSED' },
        fields: Object.fromEntries(
          [['legalEntities', 'LEGAL_ENTITIES'], ['erpCustomerId', 'ERP_CUSTOMER'], ['priceType', 'PRICE_TYPE'], ['dealerGroup', 'DEALER_GROUP'], ['city', 'CITY'], ['region', 'REGION'], ['creditLimit', 'CREDIT_LIMIT'], ['paymentTermDays', 'PAYMENT_TERM'], ['blockOverLimit', 'BLOCK_OVER_LIMIT'], ['blockOverdueDays', 'BLOCK_OVERDUE_DAYS'], ['personalManager', 'MANAGER']].map(([k, code], i) => [
            k,
            { upperName: `UF_CRM_7_${code}`, restName: `ufCrm7${code!.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _p, c: string) => c.toUpperCase())}`, id: 100 + i },
          ]),
        ),
      },
    },
  },
};

describe('dealer item mapping', () => {
  const sp = installedSmartProcess(settings, 'dealers')!;

  it("when the installer's record is read, then ids, stages and REST names come out as recorded", () => {
    expect(sp).toMatchObject({ entityTypeId: 1034, typeId: 7, categoryId: 5 });
    expect(sp.fields.creditLimit).toEqual({ restName: 'ufCrm7CreditLimit', ufName: 'UF_CRM_7_CREDIT_LIMIT', id: 106 });
    expect(installedSmartProcess({}, 'dealers')).toBeNull();
    expect(installedSmartProcess(settings, 'orders')).toBeNull();
  });

  it('when a crm.item answer is mapped, then every term lands on our key with money as a decimal string', () => {
    const item = {
      id: 42, title: 'ООО «Альфа»', stageId: 'DT1034_5:PAUSED', companyId: 12, currencyId: 'RUB',
      ufCrm7LegalEntities: ['CO_12', 'CO_15', 'C_3', 15], ufCrm7ErpCustomer: ' A-001 ', ufCrm7PriceType: 'Опт', ufCrm7DealerGroup: '45', ufCrm7City: 'Тула', ufCrm7Region: '',
      ufCrm7CreditLimit: '1500000.5|RUB', ufCrm7PaymentTerm: '30', ufCrm7BlockOverLimit: 'Y', ufCrm7BlockOverdueDays: 0, ufCrm7Manager: 3,
    };
    const mapped = mapDealerItem(item, sp, 9, (key, value) => (key === 'dealerGroup' && value === '45' ? 'PARTNER' : null));
    expect(mapped.dealer).toEqual({
      portalId: 9, b24ItemId: 42, title: 'ООО «Альфа»', stage: 'paused', companyId: 12, erpCustomerId: 'A-001', priceTypeErpId: 'Опт', dealerGroup: 'PARTNER', city: 'Тула', region: null,
      creditLimit: '1500000.50', currency: 'RUB', paymentTermDays: 30, blockOverLimit: true, blockOverdueDays: 0, managerUserId: 3,
    });
    expect(mapped.companyIds).toEqual([12, 15]);
  });

  it('when values are empty or odd, then nothing becomes a number silently', () => {
    expect(crmLinkId('CO_7')).toBe(7);
    expect(crmLinkId('C_7')).toBeNull();
    expect(crmLinkId('abc')).toBeNull();
    expect(crmLinkIds(null)).toEqual([]);
    expect(ufMoney('|RUB')).toBeNull();
    expect(ufMoney('12,5')).toEqual({ amount: '12.50', currency: 'RUB' });
    expect(ufBool('N')).toBe(false);
    expect(ufBool(1)).toBe(true);
    expect(dealerStageOf('DT9_1:CLOSED', { stages: {} })).toBe('closed');
    expect(dealerStageOf('DT9_1:SOMETHING', { stages: {} })).toBe('active');
  });

  it('when an ERP counterparty is matched, then INN decides and KPP breaks ties', () => {
    const refs = [
      { erpId: 'a', name: 'A', inn: '7701', kpp: '001' },
      { erpId: 'b', name: 'A branch', inn: '7701', kpp: '002' },
      { erpId: 'c', name: 'IP', inn: '500100', kpp: null },
    ];
    expect(matchErpCustomer(refs, '7701', '002')?.erpId).toBe('b');
    expect(matchErpCustomer(refs, '7701', null)?.erpId).toBe('a');
    expect(matchErpCustomer(refs, '7701', '999')).toBeNull();
    expect(matchErpCustomer(refs, '500100', null)?.erpId).toBe('c');
    expect(matchErpCustomer(refs, null, null)).toBeNull();
  });

  it('when finance is summarized, then it sums the holding in the dealer currency and knows when there is no data', () => {
    const dealer = { erpCustomerId: 'a', creditLimit: '1000.00', currency: 'RUB' };
    const row = (erpId: string, debt: string, overdue: string, days: number | null, currency = 'RUB') => ({ erpId, currency, debt, overdue, overdueDays: days, creditLimit: null, creditLimitEnforced: false, paymentTermDays: null, asOf: `2026-11-2${erpId === 'a' ? 2 : 3}` });
    const f = summarizeFinance(dealer, [{ erpCustomerId: 'b' }], [row('a', '100.10', '0.00', 0), row('b', '200.20', '50.00', 9), row('b', '5.00', '0.00', null, 'USD'), row('z', '999.00', '0.00', 0)]);
    expect(f).toMatchObject({ hasErpData: true, debt: '300.30', overdue: '50.00', overdueDays: 9, availableCredit: '699.70', asOf: '2026-11-22', otherCurrencies: ['USD'], erpCustomerIds: ['a', 'b'] });
    expect(summarizeFinance(dealer, [], [])).toMatchObject({ hasErpData: false, debt: null, availableCredit: null, creditLimit: '1000.00' });
  });
});
