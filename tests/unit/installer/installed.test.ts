import { describe, expect, it } from 'vitest';
import { InstallerError } from '../../../installer/installer-error.js';
import { emptyRecord, type TInstallerRecord } from '../../../installer/installer-record.js';
import { readInstalled, tryReadInstalled } from '../../../installer/installed.js';
import { SMART_PROCESSES } from '../../../installer/manifest.js';

function reconciled(): TInstallerRecord {
  const record = emptyRecord();
  record.manifestVersion = 1;
  SMART_PROCESSES.forEach((s, i) => {
    record.smartProcesses[s.key] = {
      typeId: i + 1,
      entityTypeId: 1030 + 2 * i,
      categoryId: 10 + i,
      title: s.title.ru,
      stages: Object.fromEntries(s.stages.map((st) => [st.key, `DT${1030 + 2 * i}_${10 + i}:${st.code}`])),
      fields: Object.fromEntries(s.fields.map((f, k) => [f.key, { upperName: `UF_CRM_${i + 1}_${f.code}`, restName: `ufCrm${i + 1}X`, id: 100 * (i + 1) + k }])),
    };
  });
  return record;
}

describe('readInstalled', () => {
  it('when the portal is reconciled, then every module finds types, stages, fields and derived names through it', () => {
    const installed = readInstalled({ other: 1, installer: reconciled() });
    const orders = installed.smartProcess('orders');
    expect(orders).toMatchObject({ typeId: 2, entityTypeId: 1032, categoryId: 11, ufEntityId: 'CRM_2', ownerTypeCode: 'T408', timelineEntityType: 'dynamic_1032', stageEntityId: 'DYNAMIC_1032_STAGE_11' });
    expect(orders.documentType).toEqual(['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', 'DYNAMIC_1032']);
    expect(orders.stage('approval')).toBe('DT1032_11:APPROVAL');
    expect(orders.stageKey('DT1032_11:APPROVAL')).toBe('approval');
    expect(orders.stageKey('DT1032_11:SOMETHING_ELSE')).toBeNull();
    expect(orders.field('erpNumber')).toEqual({ upperName: 'UF_CRM_2_ERP_NUMBER', restName: 'ufCrm2X', id: 202 });
    expect(orders.parentField('dealers')).toBe('parentId1030');
    expect(installed.entityTypeIds).toEqual({ dealers: 1030, orders: 1032, claims: 1034, discounts: 1036, offers: 1038 });
    expect(installed.keyOf(1034)).toBe('claims');
    expect(installed.keyOf(2)).toBeNull();
  });

  it('when a stage or field is not installed, then the error names it and what to do', () => {
    const orders = readInstalled({ installer: reconciled() }).smartProcess('orders');
    expect(() => orders.stage('packed')).toThrow(/stage "packed" of orders is not installed on this portal \(known: new, approval/);
    expect(() => orders.field('tracking')).toThrow(/field "tracking" of orders is not installed on this portal; run the installer/);
  });

  it('when the installer has not run, failed, or was uninstalled, then it throws NOT_RECONCILED with the reason', () => {
    const reason = (settings: Record<string, unknown>) => {
      try {
        readInstalled(settings);
        return 'no error';
      } catch (err) {
        expect(err).toBeInstanceOf(InstallerError);
        expect((err as InstallerError).code).toBe('NOT_RECONCILED');
        return (err as Error).message;
      }
    };
    expect(reason({})).toMatch(/the installer has not run/);
    const failed = { ...reconciled(), manifestVersion: null, lastRun: { runId: 'r', mode: 'apply' as const, manifestVersion: 1, startedAt: '', finishedAt: '', status: 'failed' as const, steps: [], errors: [{ step: 'fields' as const, op: 'field.add:orders.erpNumber', code: 'ERROR_CORE', message: 'Fail to create new user field' }], applied: [], notices: [], writes: 0, hits: 0 } };
    expect(reason({ installer: failed })).toMatch(/the last installer run failed \(Fail to create new user field\)/);
    expect(reason({ installer: { ...reconciled(), manifestVersion: null, uninstalledAt: '2026-01-01T00:00:00Z' } })).toMatch(/removed by `installer uninstall`/);
    const partial = reconciled();
    delete partial.smartProcesses.offers;
    expect(reason({ installer: partial })).toMatch(/smart processes offers are not installed/);
    expect(tryReadInstalled({})).toBeNull();
  });
});
