import { describe, expect, it } from 'vitest';
import { can, issueWidgetSession, verifyWidgetSession } from '../../../server/modules/access/index.js';

const key = Buffer.alloc(32, 3);
const claims = { portalId: 1, userId: 10, role: 'dealer_buyer' as const, dealerId: 5, widget: 'cabinet' };

describe('widget session', () => {
  it('when a session is issued, then it verifies with the same key and carries the claims', () => {
    const { token } = issueWidgetSession(key, claims);
    const check = verifyWidgetSession(key, token);
    expect(check.ok && check.session).toMatchObject({ portalId: 1, userId: 10, role: 'dealer_buyer', dealerId: 5, actorUserId: null });
  });

  it('when the payload is edited (e.g. another dealer), then the signature check fails', () => {
    const { token } = issueWidgetSession(key, claims);
    const [p, body, sig] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.dealerId = 6;
    const forged = [p, Buffer.from(JSON.stringify(payload)).toString('base64url'), sig].join('.');
    expect(verifyWidgetSession(key, forged)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWidgetSession(Buffer.alloc(32, 4), token)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('when the session is past its expiry, then it is refused as expired', () => {
    const { token } = issueWidgetSession(key, claims, Date.now() - 3 * 3600_000);
    expect(verifyWidgetSession(key, token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('when the token is garbage, then it is malformed', () => {
    for (const t of [undefined, '', 'abc', 'dh1.x', 'dh2.a.b']) expect(verifyWidgetSession(key, t)).toMatchObject({ ok: false });
  });
});

describe('permissions', () => {
  it('when an accountant tries to order, then it is refused; finance is allowed', () => {
    expect(can('dealer_accountant', 'orders.create')).toBe(false);
    expect(can('dealer_accountant', 'finance.read')).toBe(true);
  });

  it('when a buyer is granted company orders, then the grant adds exactly that permission', () => {
    expect(can('dealer_buyer', 'orders.read.company')).toBe(false);
    expect(can('dealer_buyer', 'orders.read.company', ['orders.read.company'])).toBe(true);
    expect(can('dealer_buyer', 'finance.read', ['orders.read.company'])).toBe(false);
  });
});
