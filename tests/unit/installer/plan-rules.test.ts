import { describe, expect, it } from 'vitest';
import { SMART_PROCESSES } from '../../../installer/manifest.js';
import { emptyRecord } from '../../../installer/installer-record.js';
import { desiredStages } from '../../../installer/reconcile/desired-state.js';
import { fingerprint } from '../../../installer/reconcile/fingerprint.js';
import { parentsFirst } from '../../../installer/reconcile/plan-apply.js';
import { planUpdateField } from '../../../installer/reconcile/plan-fields.js';
import { planEvents, planPlacements } from '../../../installer/reconcile/plan-integrations.js';
import { matchStages, planStages } from '../../../installer/reconcile/plan-stages.js';
import type { FieldRow, StageRow } from '../../../installer/reconcile/portal-state.types.js';

const orders = SMART_PROCESSES.find((s) => s.key === 'orders')!;
const dealers = SMART_PROCESSES.find((s) => s.key === 'dealers')!;
const binding = { key: 'orders' as const, typeId: 2, entityTypeId: 1032, createdByUs: true };
const prefix = 'DT1032_5:';

const stage = (id: number, code: string, semantics: 'P' | 'S' | 'F', system = false, extra: Partial<StageRow> = {}): StageRow => ({
  id, entityId: 'DYNAMIC_1032_STAGE_5', statusId: `${prefix}${code}`, name: code, sort: id * 10, color: '#000', semantics, system, ...extra,
});
const defaults = () => [stage(1, 'NEW', 'P', true), stage(2, 'PREPARATION', 'P'), stage(3, 'CLIENT', 'P'), stage(4, 'SUCCESS', 'S', true), stage(5, 'FAIL', 'F', true)];

describe('stage planning', () => {
  it('when a new pipeline is set up, then the system start/success/failure stages are taken over and the other defaults removed', () => {
    const ops = planStages({ spec: orders, binding, categoryId: 5, stages: defaults(), recorded: {}, lang: 'ru', fingerprints: {}, tidyDefaults: true });
    const by = (kind: string) => ops.filter((o) => o.kind === kind).map((o) => o.id);
    expect(by('updateStage')).toEqual(['stage.update:orders.new', 'stage.update:orders.delivered', 'stage.update:orders.cancelled']);
    expect(by('deleteStage')).toEqual(['stage.delete:orders.DT1032_5:PREPARATION', 'stage.delete:orders.DT1032_5:CLIENT']);
    expect(by('addStage')).toHaveLength(7);
    expect(ops.find((o) => o.id === 'stage.add:orders.approval')!.call).toEqual({
      method: 'crm.status.add',
      params: { fields: { ENTITY_ID: 'DYNAMIC_1032_STAGE_5', STATUS_ID: 'APPROVAL', NAME: 'На согласовании', SORT: 20, COLOR: '#2FC6F6', SEMANTICS: '' } },
    });
  });

  it('when the pipeline is not ours to tidy (or already tidied), then nothing is deleted', () => {
    const ops = planStages({ spec: orders, binding: { ...binding, createdByUs: false }, categoryId: 5, stages: defaults(), recorded: {}, lang: 'ru', fingerprints: {}, tidyDefaults: false });
    expect(ops.filter((o) => o.kind === 'deleteStage')).toEqual([]);
  });

  it('when stages are matched, then a recorded STATUS_ID wins over the code, and a manifest without a success stage leaves SUCCESS alone', () => {
    const rows = [...defaults(), stage(6, 'ACTIVE_RENAMED', 'P')];
    const m = matchStages(desiredStages(dealers, 'ru'), rows, prefix, { active: `${prefix}ACTIVE_RENAMED` });
    expect(m.map((x) => [x.stage.key, x.row?.statusId ?? null])).toEqual([
      ['onboarding', `${prefix}NEW`], ['active', `${prefix}ACTIVE_RENAMED`], ['paused', null], ['closed', `${prefix}FAIL`],
    ]);
  });

  it('when an administrator renamed a stage after we applied it, then it stays; when the manifest changes its name, then ours is applied', () => {
    const wanted = desiredStages(orders, 'ru').find((s) => s.key === 'paid')!;
    const applied = fingerprint({ name: wanted.name, color: wanted.color, sort: wanted.sort });
    const rows = [...defaults(), stage(9, 'PAID', 'P', false, { name: 'Оплачен полностью', color: wanted.color, sort: wanted.sort })];
    const base = { spec: orders, binding, categoryId: 5, stages: rows, recorded: {}, lang: 'ru' as const, tidyDefaults: false };
    expect(planStages({ ...base, fingerprints: { 'stage:orders.paid': applied } }).find((o) => o.id === 'stage.update:orders.paid')).toBeUndefined();
    const changed = planStages({ ...base, fingerprints: { 'stage:orders.paid': 'older-manifest' } }).find((o) => o.id === 'stage.update:orders.paid')!;
    expect(changed.changes).toEqual(['name: «Оплачен полностью» → «Оплачен»']);
  });
});

describe('field planning', () => {
  const field = dealers.fields.find((f) => f.key === 'dealerGroup')!;
  const row = (extra: Partial<FieldRow> = {}): FieldRow => ({
    id: 40, entityId: 'CRM_3', fieldName: 'UF_CRM_3_DEALER_GROUP', userTypeId: 'enumeration', multiple: 'N', mandatory: 'N', showFilter: 'E', settings: {},
    editFormLabel: { ru: 'Группа дилера', en: 'Dealer group' }, helpMessage: {},
    enum: [
      { id: 1, xmlId: 'A', value: 'Категория A', def: 'N', sort: 100 },
      { id: 2, xmlId: 'B', value: 'Категория B', def: 'Y', sort: 200 },
      { id: 3, xmlId: 'C', value: 'Категория C', def: 'N', sort: 300 },
    ],
    ...extra,
  });

  it('when an option is missing, then it is appended and every existing option is sent with its id (none deleted)', () => {
    const { op } = planUpdateField(dealers, field, row(), 3, {}, 'ru', undefined);
    expect(op!.call).toEqual({
      method: 'userfieldconfig.update',
      params: {
        moduleId: 'crm',
        id: 40,
        field: {
          userTypeId: 'enumeration',
          enum: [
            { id: 1, xmlId: 'A', value: 'Категория A', def: 'N', sort: 100 },
            { id: 2, xmlId: 'B', value: 'Категория B', def: 'Y', sort: 200 },
            { id: 3, xmlId: 'C', value: 'Категория C', def: 'N', sort: 300 },
            { xmlId: 'PARTNER', value: 'Партнёр', def: 'N', sort: 400 },
          ],
        },
      },
    });
    expect(op!.changes).toEqual(['options: + PARTNER «Партнёр»']);
  });

  it('when the field exists with another type, then nothing is sent and the reason is reported', () => {
    const planned = planUpdateField(dealers, field, row({ userTypeId: 'string', enum: null }), 3, {}, 'ru', undefined);
    expect(planned.op).toBeNull();
    expect(planned.notice).toMatch(/is string on the portal, the manifest wants enumeration; Bitrix24 cannot change that/);
  });

  it('when a label was changed on the portal after we applied ours, then it is kept; a link setting is always restored', () => {
    const link = SMART_PROCESSES.find((s) => s.key === 'discounts')!.fields.find((f) => f.key === 'dealer')!;
    const current: FieldRow = { ...row(), id: 50, fieldName: 'UF_CRM_7_DEALER', userTypeId: 'crm', enum: null, editFormLabel: { ru: 'Контрагент', en: 'Dealer' }, settings: { DYNAMIC_1034: 'N' } };
    const first = planUpdateField(SMART_PROCESSES[3]!, link, current, 7, { dealers: 1034 }, 'ru', undefined);
    const applied = first.cosmeticHash;
    const again = planUpdateField(SMART_PROCESSES[3]!, link, current, 7, { dealers: 1034 }, 'ru', applied);
    expect(again.op!.changes).toEqual(['settings.DYNAMIC_1034: N → Y']);
    expect(first.op!.changes).toContain('label.ru: «Контрагент» → «Дилер»');
  });
});

describe('placements and events', () => {
  it('when a placement is recorded with an old handler, then it is unbound before the new one is bound', () => {
    const desired = [{ key: 'companyTab', placement: 'CRM_COMPANY_DETAIL_TAB', handler: 'https://new/placement/company-tab', title: 'T', langAll: { ru: { TITLE: 'T' }, en: { TITLE: 'T' } }, options: {}, pending: false, dynamic: false }];
    const record = { ...emptyRecord(), placements: [{ key: 'companyTab', placement: 'CRM_COMPANY_DETAIL_TAB', handler: 'https://old/placement/company-tab' }] };
    const current = [{ placement: 'CRM_COMPANY_DETAIL_TAB', handler: 'https://old/placement/company-tab', title: 'T', options: {}, langAll: {} }];
    expect(planPlacements(desired, current, record).map((o) => `${o.kind} ${o.call.params!.HANDLER}`)).toEqual([
      'unbindPlacement https://old/placement/company-tab',
      'bindPlacement https://new/placement/company-tab',
    ]);
  });

  it('when the handler URL moved, then our old event bindings are unbound and the events bound to the new URL; others are left', () => {
    const record = { ...emptyRecord(), events: [{ event: 'ONAPPUPDATE', handler: 'https://old/b24/events' }] };
    const current = [
      { event: 'ONAPPUPDATE', handler: 'https://old/b24/events', authType: 0, offline: false },
      { event: 'ONCRMDEALADD', handler: 'https://someone-else/hook', authType: 0, offline: false },
    ];
    expect(planEvents(['ONAPPUPDATE'], 'https://new/b24/events', current, record).map((o) => o.id)).toEqual(['event.unbind:ONAPPUPDATE:https://old/b24/events', 'event.bind:ONAPPUPDATE']);
  });
});

describe('smart process order', () => {
  it('when types have parents, then parents come first; a cycle or an unknown parent is a manifest error', () => {
    const reversed = [...SMART_PROCESSES].reverse();
    const keys = parentsFirst(reversed).map((s) => s.key);
    expect(keys.indexOf('dealers')).toBeLessThan(keys.indexOf('orders'));
    expect(keys.indexOf('orders')).toBeLessThan(keys.indexOf('claims'));
    expect(() => parentsFirst([{ ...dealers, parents: ['orders'] }, orders])).toThrow(/parent cycle: dealers → orders → dealers/);
    expect(() => parentsFirst([{ ...dealers, parents: ['offers'] }])).toThrow(/unknown parent offers/);
  });
});
