import { describe, expect, it } from 'vitest';
import { ROBOT_DEFINITIONS } from '../../../robots/definitions.js';
import { MANIFEST, SMART_PROCESSES } from '../../../installer/manifest.js';
import { desiredField, desiredPlacements, desiredRobot, desiredStages, fieldAddParams, typeAddFields } from '../../../installer/reconcile/desired-state.js';
import { ufRestName, ufUpperName } from '../../../installer/reconcile/uf-names.js';

const spec = (key: string) => SMART_PROCESSES.find((s) => s.key === key)!;
const robot = (code: string) => ROBOT_DEFINITIONS.find((r) => r.code === code)!;
const DYNAMIC = 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic';

describe('desired state from the manifest', () => {
  it('when a robot names two smart processes, then it is one registration: DOCUMENT_TYPE of the first, FILTER.INCLUDE of both', () => {
    const d = desiredRobot(robot('dh_notify_dealer'), { orders: 1036, claims: 1040 }, 'https://app.example', 7);
    expect(d.pending).toBe(false);
    expect(d.params).toMatchObject({
      CODE: 'dh_notify_dealer',
      HANDLER: 'https://app.example/robots/dh_notify_dealer',
      AUTH_USER_ID: 7,
      USE_SUBSCRIPTION: 'N',
      DOCUMENT_TYPE: ['crm', DYNAMIC, 'DYNAMIC_1036'],
      FILTER: { INCLUDE: [['crm', DYNAMIC, 'DYNAMIC_1036'], ['crm', DYNAMIC, 'DYNAMIC_1040']] },
      NAME: { ru: 'DealerHub: уведомить дилера', en: 'DealerHub: notify the dealer' },
    });
    expect(d.params.PROPERTIES).toEqual({
      message: { Name: { ru: 'Текст уведомления', en: 'Message' }, Type: 'text', Required: 'Y', Multiple: 'N' },
      kind: {
        Name: { ru: 'Тип уведомления', en: 'Kind' },
        Type: 'select',
        Required: 'N',
        Multiple: 'N',
        Options: { order_status: 'Статус заказа', order_changed: 'Изменение заказа', claim_status: 'Статус рекламации', other: 'Другое' },
        Default: 'order_status',
      },
    });
    expect((d.params.RETURN_PROPERTIES as Record<string, { Type: string }>).dhResult).toMatchObject({ Type: 'select', Options: { ok: 'ok', blocked: 'blocked', error: 'error' } });
  });

  it('when a robot waits for its answer, then USE_SUBSCRIPTION is Y; when its smart process is missing, then it is pending', () => {
    expect(desiredRobot(robot('dh_check_dealer_credit'), { orders: 1036 }, 'https://a', null).params.USE_SUBSCRIPTION).toBe('Y');
    expect(desiredRobot(robot('dh_check_dealer_credit'), { orders: 1036 }, 'https://a', null).params).not.toHaveProperty('AUTH_USER_ID');
    expect(desiredRobot(robot('dh_request_manager_approval'), { orders: 1036 }, 'https://a', 1).pending).toBe(true);
  });

  it('when stages are listed, then SORT puts in-progress first, then success, then failure (crm-status-add.md)', () => {
    const mixed = { ...spec('dealers'), stages: [{ key: 'x', code: 'X', name: { ru: 'Х', en: 'X' }, semantics: 'F' as const, color: '#F00' }, ...spec('dealers').stages] };
    const stages = desiredStages(mixed, 'ru');
    expect(stages.map((s) => [s.key, s.semantics, s.sort])).toEqual([
      ['onboarding', 'P', 10], ['active', 'P', 20], ['paused', 'P', 30], ['x', 'F', 40], ['closed', 'F', 50],
    ]);
    expect(desiredStages(spec('orders'), 'en').find((s) => s.key === 'delivered')).toMatchObject({ name: 'Delivered', semantics: 'S', sort: 90 });
  });

  it('when a field links to a smart process, then its settings name DYNAMIC_<entityTypeId>, and it waits while that type is missing', () => {
    const dealer = spec('discounts').fields.find((f) => f.key === 'dealer')!;
    expect(desiredField(dealer, 21, { dealers: 1034 }, 'ru')).toMatchObject({ fieldName: 'UF_CRM_21_DEALER', userTypeId: 'crm', settings: { DYNAMIC_1034: 'Y' }, pending: false });
    expect(desiredField(dealer, 21, {}, 'ru').pending).toBe(true);
    const legal = spec('dealers').fields.find((f) => f.key === 'legalEntities')!;
    expect(desiredField(legal, 3, {}, 'ru')).toMatchObject({ multiple: 'Y', settings: { COMPANY: 'Y' }, pending: false });
  });

  it('when an enumeration field is added, then options carry xmlId, the portal-language value, def and sort', () => {
    const group = spec('dealers').fields.find((f) => f.key === 'dealerGroup')!;
    const params = fieldAddParams('CRM_3', desiredField(group, 3, {}, 'ru'));
    expect(params).toMatchObject({
      moduleId: 'crm',
      field: { entityId: 'CRM_3', fieldName: 'UF_CRM_3_DEALER_GROUP', userTypeId: 'enumeration', showFilter: 'Y', editFormLabel: { ru: 'Группа дилера', en: 'Dealer group' } },
    });
    expect((params.field as { enum: unknown[] }).enum).toEqual([
      { value: 'Категория A', def: 'N', sort: 100, xmlId: 'A' },
      { value: 'Категория B', def: 'Y', sort: 200, xmlId: 'B' },
      { value: 'Категория C', def: 'N', sort: 300, xmlId: 'C' },
      { value: 'Партнёр', def: 'N', sort: 400, xmlId: 'PARTNER' },
    ]);
  });

  it('when a type is created with a parent, then relations use "true" (Y/N do not work there) and our symbolic code', () => {
    expect(typeAddFields(spec('claims'), 'ru', [1034, '$result[t_orders][type][entityTypeId]'])).toMatchObject({
      title: 'Рекламации',
      code: 'dealerhub_claims',
      isStagesEnabled: 'Y',
      relations: { parent: [{ entityTypeId: 1034, isChildrenListEnabled: 'true' }, { entityTypeId: '$result[t_orders][type][entityTypeId]', isChildrenListEnabled: 'true' }], child: [] },
    });
    expect(typeAddFields(spec('dealers'), 'en', [])).not.toHaveProperty('relations');
  });

  it('when placements are planned, then DEFAULT is not bound, type tabs wait for their type, and LANG_ALL has both languages', () => {
    const all = desiredPlacements(MANIFEST, { dealers: 1034 }, 'https://app.example', 'ru');
    expect(all.map((p) => p.key)).not.toContain('admin');
    expect(all.find((p) => p.key === 'dealerTab')).toMatchObject({ placement: 'CRM_DYNAMIC_1034_DETAIL_TAB', pending: false, dynamic: true, handler: 'https://app.example/placement/dealer-tab' });
    expect(all.find((p) => p.key === 'orderTab')).toMatchObject({ placement: 'CRM_DYNAMIC_<orders>_DETAIL_TAB', pending: true });
    expect(all.find((p) => p.key === 'cabinetExtranet')).toMatchObject({ placement: 'IM_NAVIGATION', options: { extranet: 'Y' }, langAll: { ru: { TITLE: 'Кабинет дилера' }, en: { TITLE: 'Dealer cabinet' } } });
  });

  it('when UF names are built, then REST names follow the documented camelCase rules', () => {
    expect(ufUpperName(13, 'ERP_NUMBER')).toBe('UF_CRM_13_ERP_NUMBER');
    expect(ufRestName('UF_CRM_13_ERP_NUMBER')).toBe('ufCrm13ErpNumber');
    expect(ufRestName('UF_CRM_3_1747309727')).toBe('ufCrm3_1747309727');
    expect(ufRestName('UF_CRM_3_DIGIT10')).toBe('ufCrm_3_DIGIT10');
    expect(ufRestName('TITLE')).toBe('TITLE');
  });
});
