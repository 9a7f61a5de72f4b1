import { describe, expect, it } from 'vitest';
import type { CabinetHome, DealerSummary } from '../../../widgets/src/api/types.js';
import { capabilitiesOf } from '../../../widgets/src/pages/cabinet/shell/capabilities.js';
import { hashOf, navFromHash } from '../../../widgets/src/pages/cabinet/shell/screen-hash.js';
import { permissionsOf, type Role } from '../../../server/modules/access/index.js';

/** The cabinet shell's decisions that need no browser: what each role may do, and the screen in the frame's address. */
const dealerHome = (role: string): CabinetHome => ({
  kind: 'dealer',
  me: { userId: 5, name: 'U', role, permissions: permissionsOf(role as Role, []) },
  dealer: { itemId: 1 } as DealerSummary,
  legalEntities: [],
});
const staffHome = (role: string): CabinetHome => ({ kind: 'staff', me: { userId: 9, role, permissions: permissionsOf(role as Role, []) }, dealersTotal: 3 });
const acting = { dealer: { id: 2, itemId: 1, title: 'D' } as DealerSummary, user: { b24UserId: 5, name: 'U', role: 'dealer_buyer', legalEntityIds: [] } };

describe('cabinet capabilities', () => {
  it('when the role is head or buyer, then they order and agree; an accountant reads finance but cannot order; a viewer only reads', () => {
    expect(capabilitiesOf(dealerHome('dealer_head'), null)).toMatchObject({ canOrder: true, canAgree: true, canReadFinance: true, readOnly: false });
    expect(capabilitiesOf(dealerHome('dealer_buyer'), null)).toMatchObject({ canOrder: true, canAgree: true, canReadFinance: false, readOnly: false });
    expect(capabilitiesOf(dealerHome('dealer_accountant'), null)).toMatchObject({ canOrder: false, canAgree: false, canCancel: false, canReadFinance: true, readOnly: true });
    expect(capabilitiesOf(dealerHome('dealer_viewer'), null)).toMatchObject({ canOrder: false, canAgree: false, canCancel: false, canReadFinance: false, readOnly: true });
  });

  it('when staff do not act as a dealer, then they cannot order; acting, they order but never agree for the dealer', () => {
    expect(capabilitiesOf(staffHome('manager'), null)).toMatchObject({ isStaff: true, canOrder: false, canCancel: false, canAgree: false });
    expect(capabilitiesOf(staffHome('manager'), acting)).toMatchObject({ isStaff: true, canOrder: true, canCancel: true, canAgree: false });
    expect(capabilitiesOf(staffHome('service'), acting)).toMatchObject({ canOrder: false });
  });
});

describe('cabinet screen address', () => {
  it('when the hash names a screen, then it opens; an order needs its numeric id; anything else is ignored', () => {
    expect(navFromHash('#/orders')).toEqual({ screen: 'orders', params: {} });
    expect(navFromHash('#/order/42')).toEqual({ screen: 'order', params: { orderId: 42 } });
    expect(navFromHash('#/catalog/7')).toEqual({ screen: 'catalog', params: { productId: 7 } });
    expect(navFromHash('#/order/x')).toBeNull();
    expect(navFromHash('#/admin')).toBeNull();
    expect(navFromHash('')).toBeNull();
  });

  it('when a screen is written to the address, then reading it back gives the same screen', () => {
    for (const nav of [{ screen: 'checkout' as const, params: {} }, { screen: 'order' as const, params: { orderId: 3 } }]) expect(navFromHash(hashOf(nav))).toEqual(nav);
  });
});
