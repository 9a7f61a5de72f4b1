import { describe, expect, it } from 'vitest';
import { B24Error, classifyB24Failure, toB24Error } from '../../../server/bitrix24/b24-error.js';
import { isIdempotentBatch, isIdempotentMethod } from '../../../server/bitrix24/method-safety.js';

describe('classifying failures (system-errors.md, limits.md, oauth/error-codes.md)', () => {
  const cases: Array<[string, { httpStatus?: number; code?: string; transport?: 'not_sent' | 'sent' | 'timeout' }, string, boolean, boolean]> = [
    // label, failure, kind, rejected, transient
    ['503 QUERY_LIMIT_EXCEEDED', { httpStatus: 503, code: 'QUERY_LIMIT_EXCEEDED' }, 'rate_limit', true, true],
    ['429 OPERATION_TIME_LIMIT', { httpStatus: 429, code: 'OPERATION_TIME_LIMIT' }, 'operation_time_limit', true, true],
    ['429 without a body', { httpStatus: 429 }, 'operation_time_limit', true, true],
    ['503 OVERLOAD_LIMIT', { httpStatus: 503, code: 'OVERLOAD_LIMIT' }, 'overload', true, false],
    ['401 expired_token', { httpStatus: 401, code: 'expired_token' }, 'token_expired', true, true],
    ['401 invalid_token', { httpStatus: 401, code: 'invalid_token' }, 'token_expired', true, true],
    ['401 NO_AUTH_FOUND', { httpStatus: 401, code: 'NO_AUTH_FOUND' }, 'auth', true, false],
    ['403 insufficient_scope', { httpStatus: 403, code: 'insufficient_scope' }, 'access_denied', true, false],
    ['403 allowed_only_intranet_user', { httpStatus: 403, code: 'allowed_only_intranet_user' }, 'access_denied', true, false],
    ['403 WRONG_AUTH_TYPE', { httpStatus: 403, code: 'WRONG_AUTH_TYPE' }, 'access_denied', true, false],
    ['404 ERROR_METHOD_NOT_FOUND', { httpStatus: 404, code: 'ERROR_METHOD_NOT_FOUND' }, 'method_not_found', true, false],
    ['400 NOT_FOUND', { httpStatus: 400, code: 'NOT_FOUND' }, 'not_found', true, false],
    ['400 ERROR_BATCH_LENGTH_EXCEEDED', { httpStatus: 400, code: 'ERROR_BATCH_LENGTH_EXCEEDED' }, 'invalid_request', true, false],
    ['200 ERROR_ARGUMENT (placement.bind)', { httpStatus: 200, code: 'ERROR_ARGUMENT' }, 'invalid_request', true, false],
    ['500 INTERNAL_SERVER_ERROR', { httpStatus: 500, code: 'INTERNAL_SERVER_ERROR' }, 'server', false, true],
    ['502 from a proxy', { httpStatus: 502 }, 'server', false, true],
    ['503 without a code', { httpStatus: 503 }, 'server', false, true],
    ['500 PORTAL_DELETED', { httpStatus: 500, code: 'PORTAL_DELETED' }, 'server', false, false],
    ['connection refused', { transport: 'not_sent' }, 'network', true, true],
    ['connection reset after sending', { transport: 'sent' }, 'timeout', false, true],
    ['client timeout', { transport: 'timeout' }, 'timeout', false, true],
    ['invalid_grant from the OAuth server', { httpStatus: 400, code: 'invalid_grant' }, 'reinstall_required', true, false],
  ];
  for (const [label, failure, kind, rejected, transient] of cases) {
    it(`when the answer is ${label}, then it is ${kind} (refused: ${rejected}, transient: ${transient})`, () => {
      expect(classifyB24Failure(failure)).toEqual({ kind, rejected, transient });
    });
  }
});

describe('B24Error', () => {
  it('when a write was ambiguous, then the error carries the params for a lookup but never prints them', () => {
    const params = { entityTypeId: 1030, fields: { xmlId: 'ORD-7' } };
    const e = toB24Error({ httpStatus: 500, code: 'INTERNAL_SERVER_ERROR' }, classifyB24Failure({ httpStatus: 500 }), { method: 'crm.item.add', portalId: 3, params, ambiguous: true });
    expect(e).toBeInstanceOf(B24Error);
    expect(e).toMatchObject({ kind: 'ambiguous', isAmbiguous: true, isRetryable: false, code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, method: 'crm.item.add', portalId: 3 });
    expect(e.params).toEqual(params);
    expect(JSON.stringify(e)).not.toContain('ORD-7');
    expect(Object.keys(e)).not.toContain('params');
  });

  it('when there is no code, then one is made from the status or the transport', () => {
    expect(toB24Error({ httpStatus: 502 }, classifyB24Failure({ httpStatus: 502 }), { method: 'm.get' }).code).toBe('HTTP_502');
    expect(toB24Error({ transport: 'not_sent' }, classifyB24Failure({ transport: 'not_sent' }), { method: 'm.get' }).code).toBe('NETWORK_ERROR');
  });
});

describe('which methods may be resent after a lost answer', () => {
  it.each([
    ['crm.item.list'], ['crm.item.get'], ['crm.item.fields'], ['user.current'], ['profile'], ['app.info'], ['scope'], ['methods'],
    ['crm.item.update'], ['crm.item.productrow.set'], ['crm.item.delete'], ['placement.unbind'], ['userfieldconfig.getTypes'], ['crm.type.getByEntityTypeId'],
  ])('when the method is %s, then it is idempotent', (m) => {
    expect(isIdempotentMethod(m)).toBe(true);
  });

  it.each([
    ['crm.item.add'], ['crm.timeline.comment.add'], ['bizproc.event.send'], ['im.notify.system.add'], ['im.notify.personal.add'],
    ['placement.bind'], ['event.bind'], ['bizproc.robot.add'], ['crm.status.add'], ['userfieldconfig.add'], ['some.unknown.method'],
  ])('when the method is %s, then it is not idempotent', (m) => {
    expect(isIdempotentMethod(m)).toBe(false);
  });

  it('when event.offline.get clears what it reads (the default), then it is not idempotent; with clear=0 it is', () => {
    expect(isIdempotentMethod('event.offline.get')).toBe(false);
    expect(isIdempotentMethod('event.offline.get', { clear: 0 })).toBe(true);
  });

  it('when a batch mixes reads and one create, then the batch is not idempotent', () => {
    expect(isIdempotentBatch([{ method: 'crm.item.list' }, { method: 'crm.item.update' }])).toBe(true);
    expect(isIdempotentBatch([{ method: 'crm.item.list' }, { method: 'crm.item.add' }])).toBe(false);
  });
});
