import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { restCall, resultOf } from '../../sandbox/testing/rest-call.js';

/** CRM methods of the sandbox portal: smart-process types, items, pipelines, stages, user fields, classic entities. */
let portal: SandboxPortal;
const call = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);
const raw = (method: string, params: Record<string, unknown> = {}) => restCall(portal.webhookUrl, method, params);

interface TypeAnswer {
  type: { id: number; entityTypeId: number; relations: { parent: unknown[]; child: unknown[] } };
}
interface ItemAnswer {
  item: Record<string, unknown> & { id: number };
}

async function newType(fields: Record<string, unknown> = {}) {
  return (await call<TypeAnswer>('crm.type.add', { fields: { title: `Тип ${Math.random().toString(36).slice(2, 6)}`, isStagesEnabled: 'Y', isCategoriesEnabled: 'Y', ...fields } })).type;
}

beforeAll(async () => {
  portal = await startSandboxPortal({ httpsPort: null });
  portal.faults.setRateLimit(null);
});
afterAll(() => portal.close());

describe('crm.type.*', () => {
  it('when a type is added without entityTypeId, then an even id ≥ 1030 is assigned, separate from the type id', async () => {
    const a = await newType();
    const b = await newType();
    expect(a.entityTypeId % 2).toBe(0);
    expect(a.entityTypeId).toBeGreaterThanOrEqual(1030);
    expect(b.entityTypeId).toBe(a.entityTypeId + 2);
    expect(b.id).toBe(a.id + 1);
  });

  it('when entityTypeId is outside 128–192 and not an even number ≥ 1030, then 400 INVALID_ARG_VALUE', async () => {
    for (const entityTypeId of [127, 193, 1031, 5]) {
      const r = await raw('crm.type.add', { fields: { title: 'x', entityTypeId } });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('INVALID_ARG_VALUE');
    }
    expect((await call<TypeAnswer>('crm.type.add', { fields: { title: 'В диапазоне', entityTypeId: 150 } })).type.entityTypeId).toBe(150);
  });

  it('when the client field is enabled, then contacts and companies become predefined parents; "Y" does not switch isChildrenListEnabled on', async () => {
    const t = await newType({ isClientEnabled: 'Y', relations: { parent: [{ entityTypeId: 2, isChildrenListEnabled: 'Y' }], child: [{ entityTypeId: 3, isChildrenListEnabled: 'true' }] } });
    expect(t.relations.parent).toEqual([
      { entityTypeId: 3, isChildrenListEnabled: 'Y', isPredefined: 'Y' },
      { entityTypeId: 4, isChildrenListEnabled: 'Y', isPredefined: 'Y' },
      { entityTypeId: 2, isChildrenListEnabled: 'N', isPredefined: 'N' },
    ]);
    expect(t.relations.child).toEqual([{ entityTypeId: 3, isChildrenListEnabled: 'Y', isPredefined: 'N' }]);
  });

  it('when a type is created, then it gets a default pipeline with the standard stages', async () => {
    const t = await newType();
    const cats = await call<{ categories: { id: number; isDefault: string }[] }>('crm.category.list', { entityTypeId: t.entityTypeId });
    expect(cats.categories).toHaveLength(1);
    const cat = cats.categories[0]!;
    expect(cat.isDefault).toBe('Y');
    const stages = await call<{ STATUS_ID: string; SEMANTICS: string | null }[]>('crm.status.list', { filter: { ENTITY_ID: `DYNAMIC_${t.entityTypeId}_STAGE_${cat.id}` } });
    expect(stages.map((s) => s.STATUS_ID)).toEqual(['NEW', 'PREPARATION', 'CLIENT', 'SUCCESS', 'FAIL'].map((s) => `DT${t.entityTypeId}_${cat.id}:${s}`));
    expect(stages.map((s) => s.SEMANTICS)).toEqual([null, null, null, 'S', 'F']);
  });

  it('when a type with items is deleted, then BX_ERROR; without items it goes with its pipelines and fields', async () => {
    const t = await newType();
    const item = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    expect((await raw('crm.type.delete', { id: t.id })).body.error).toBe('BX_ERROR');
    await call('crm.item.delete', { entityTypeId: t.entityTypeId, id: item.item.id });
    expect(await call('crm.type.delete', { id: t.id })).toEqual([]);
    expect((await raw('crm.type.get', { id: t.id })).body).toEqual({ error: '0', error_description: 'Smart process not found' });
    expect(portal.store.categories.filter((c) => c.entityTypeId === t.entityTypeId)).toHaveLength(0);
  });

  it('when crm.type.list filters with logic OR and orders by id DESC, then types come as result.types with total', async () => {
    const a = await newType({ title: 'Альфа-5' });
    const b = await newType({ title: 'Бета-0' });
    const r = await raw('crm.type.list', { filter: { 0: { logic: 'OR', 0: { '%title': 'Альфа-5' }, 1: { '%title': 'Бета-0' } } }, order: { id: 'DESC' } });
    expect((r.body.result as { types: { id: number }[] }).types.map((t) => t.id)).toEqual([b.id, a.id]);
    expect(r.body.total).toBe(2);
  });

  it('when a manager (not a CRM admin) adds a type, then 400 ACCESS_DENIED', async () => {
    const hook = portal.createWebhook({ userId: portal.users.managers[0] as number });
    const r = await restCall(hook.url, 'crm.type.add', { fields: { title: 'x' } });
    expect(r).toEqual({ status: 400, body: { error: 'ACCESS_DENIED', error_description: 'Access denied' } });
  });
});

describe('crm.item.*', () => {
  it('when an item is added without stage or pipeline, then it lands in the default pipeline on its first stage with defaults', async () => {
    const t = await newType({ isLinkWithProductsEnabled: 'Y', isBeginCloseDatesEnabled: 'Y' });
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: { title: 'Первый' } });
    const cat = (await call<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: t.entityTypeId })).categories[0]!;
    expect(item).toMatchObject({ categoryId: cat.id, stageId: `DT${t.entityTypeId}_${cat.id}:NEW`, currencyId: 'RUB', opportunity: 0, assignedById: 1, opened: 'Y', entityTypeId: t.entityTypeId });
    expect(item.begindate).toMatch(/T00:00:00[+-]/);
    const untitled = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    expect(untitled.item.title).toMatch(new RegExp(`#${untitled.item.id}$`));
  });

  it('when the stage is not a stage of the pipeline, then 400 CRM_FIELD_ERROR_VALUE_NOT_VALID', async () => {
    const t = await newType();
    const r = await raw('crm.item.add', { entityTypeId: t.entityTypeId, fields: { stageId: 'DT9999_1:NEW' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('CRM_FIELD_ERROR_VALUE_NOT_VALID');
  });

  it('when the entityTypeId does not exist, then 400 NOT_FOUND "Smart process not found"; a missing item answers NOT_FOUND too', async () => {
    expect(await raw('crm.item.add', { entityTypeId: 1998, fields: {} })).toEqual({ status: 400, body: { error: 'NOT_FOUND', error_description: 'Smart process not found' } });
    const t = await newType();
    expect((await raw('crm.item.get', { entityTypeId: t.entityTypeId, id: 424242 })).body).toEqual({ error: 'NOT_FOUND', error_description: 'Element not found' });
  });

  it('when a multiple field gets a scalar, then 400 with code "100"', async () => {
    const t = await newType({ isObserversEnabled: 'Y' });
    const r = await raw('crm.item.add', { entityTypeId: t.entityTypeId, fields: { observers: 5 } });
    expect(r.body.error).toBe('100');
  });

  it('when the stage moves into another pipeline by stageId, then the item follows, and previousStageId/movedTime change', async () => {
    const t = await newType();
    const cat2 = (await call<{ category: { id: number } }>('crm.category.add', { entityTypeId: t.entityTypeId, fields: { name: 'Второй' } })).category;
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: { stageId: `DT${t.entityTypeId}_${cat2.id}:PREPARATION` } });
    expect(item.categoryId).toBe(cat2.id);
    const moved = await call<ItemAnswer>('crm.item.update', { entityTypeId: t.entityTypeId, id: item.id, fields: { stageId: `DT${t.entityTypeId}_${cat2.id}:SUCCESS` } });
    expect(moved.item.previousStageId).toBe(`DT${t.entityTypeId}_${cat2.id}:PREPARATION`);
    expect(moved.item.stageId).toBe(`DT${t.entityTypeId}_${cat2.id}:SUCCESS`);
  });

  it('when parent links and client fields are set, then get and list return them and list filters on them', async () => {
    const parent = await newType();
    const child = await newType({ isClientEnabled: 'Y', relations: { parent: [{ entityTypeId: parent.entityTypeId }] } });
    const p = (await call<ItemAnswer>('crm.item.add', { entityTypeId: parent.entityTypeId, fields: { title: 'Дилер' } })).item;
    const c = (await call<ItemAnswer>('crm.item.add', { entityTypeId: child.entityTypeId, fields: { title: 'Заказ', [`parentId${parent.entityTypeId}`]: p.id, companyId: 2, contactIds: [1, 2] } })).item;
    expect(c).toMatchObject({ [`parentId${parent.entityTypeId}`]: p.id, companyId: 2, contactIds: [1, 2], contactId: 1 });
    const list = await raw('crm.item.list', { entityTypeId: child.entityTypeId, filter: { [`=parentId${parent.entityTypeId}`]: p.id, companyId: 2 }, select: ['id', 'companyId'] });
    expect(list.body.result).toEqual({ items: [{ id: c.id, companyId: 2 }] });
  });

  it('when an update changes nothing, then no event or automation is triggered and the item is returned', async () => {
    const t = await newType();
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: { title: 'Same' } });
    const r = await call<ItemAnswer>('crm.item.update', { entityTypeId: t.entityTypeId, id: item.id, fields: { title: 'Same' } });
    expect(r.item.updatedTime).toBe(item.updatedTime);
  });

  it('when an item is deleted, then result is [] and get answers NOT_FOUND', async () => {
    const t = await newType();
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    expect(await call('crm.item.delete', { entityTypeId: t.entityTypeId, id: item.id })).toEqual([]);
    expect((await raw('crm.item.delete', { entityTypeId: t.entityTypeId, id: item.id })).body.error).toBe('NOT_FOUND');
  });

  it('when crm.item.fields is asked, then only fields the type enables are listed with their descriptions', async () => {
    const t = await newType({ isClientEnabled: 'N', isSourceEnabled: 'Y' });
    const { fields } = await call<{ fields: Record<string, Record<string, unknown>> }>('crm.item.fields', { entityTypeId: t.entityTypeId });
    expect(fields.companyId).toBeUndefined();
    expect(fields.sourceId).toMatchObject({ type: 'crm_status', statusType: 'SOURCE', upperName: 'SOURCE_ID' });
    expect(fields.opened).toMatchObject({ type: 'boolean', isRequired: true });
    expect(Object.keys(fields.id!)).toEqual(['type', 'isRequired', 'isReadOnly', 'isImmutable', 'isMultiple', 'isDynamic', 'title', 'upperName']);
  });
});

describe('userfieldconfig.* and user fields on items', () => {
  it('when fields of each type are added, then items carry them under camelCase names with typed values', async () => {
    const t = await newType();
    const entityId = `CRM_${t.id}`;
    const add = (fieldName: string, userTypeId: string, extra: Record<string, unknown> = {}) =>
      call<{ field: { id: string; enum?: { id: string; value: string }[] } }>('userfieldconfig.add', { moduleId: 'crm', field: { entityId, fieldName: `UF_CRM_${t.id}_${fieldName}`, userTypeId, editFormLabel: { ru: fieldName }, ...extra } });
    await add('CODE', 'string');
    await add('QTY', 'integer');
    await add('PRICE', 'double');
    await add('URGENT', 'boolean');
    await add('DUE', 'date');
    await add('AT', 'datetime');
    await add('SUM', 'money');
    await add('MANAGER', 'employee');
    await add('SITE', 'url');
    await add('LINK', 'crm', { settings: { COMPANY: 'Y' } });
    await add('TAGS', 'string', { multiple: 'Y' });
    await add('SCAN', 'file');
    const kind = await add('KIND', 'enumeration', { enum: [{ value: 'Опт', def: 'Y' }, { value: 'Розница' }] });
    const opt = kind.field.enum!.find((e) => e.value === 'Опт')!;
    const id = t.id;
    const { item } = await call<ItemAnswer>('crm.item.add', {
      entityTypeId: t.entityTypeId,
      fields: {
        [`ufCrm${id}Code`]: 'D-1', [`ufCrm${id}Qty`]: '5', [`ufCrm${id}Price`]: '12.5', [`ufCrm${id}Urgent`]: 'Y', [`ufCrm${id}Due`]: '2026-03-01',
        [`ufCrm${id}At`]: '2026-03-01T10:00:00+03:00', [`ufCrm${id}Sum`]: '100.50|RUB', [`ufCrm${id}Manager`]: 2, [`ufCrm${id}Site`]: 'https://a.example',
        [`ufCrm${id}Link`]: 'CO_2', [`ufCrm${id}Tags`]: ['a', 'b'], [`ufCrm${id}Scan`]: ['scan.pdf', 'JVBERi0='],
      },
    });
    expect(item).toMatchObject({
      [`ufCrm${id}Code`]: 'D-1', [`ufCrm${id}Qty`]: 5, [`ufCrm${id}Price`]: 12.5, [`ufCrm${id}Urgent`]: 'Y', [`ufCrm${id}Sum`]: '100.50|RUB',
      [`ufCrm${id}Manager`]: 2, [`ufCrm${id}Link`]: 'CO_2', [`ufCrm${id}Tags`]: ['a', 'b'], [`ufCrm${id}Kind`]: Number(opt.id),
    });
    expect(item[`ufCrm${id}Due`]).toMatch(/^2026-03-01T00:00:00[+-]/);
    expect(item[`ufCrm${id}Scan`]).toMatchObject({ id: expect.any(Number), url: expect.any(String), urlMachine: expect.any(String) });
    const original = await call<ItemAnswer>('crm.item.get', { entityTypeId: t.entityTypeId, id: item.id, useOriginalUfNames: 'Y' });
    expect(original.item[`UF_CRM_${id}_CODE`]).toBe('D-1');
    const byBool = await raw('crm.item.list', { entityTypeId: t.entityTypeId, filter: { [`ufCrm${id}Urgent`]: 1 }, select: ['id'] });
    expect(byBool.body.result).toEqual({ items: [{ id: item.id }] });
    const fields = await call<{ fields: Record<string, Record<string, unknown>> }>('crm.item.fields', { entityTypeId: t.entityTypeId });
    expect(fields.fields[`ufCrm${id}Kind`]).toMatchObject({ type: 'enumeration', isDynamic: true, upperName: `UF_CRM_${id}_KIND`, items: expect.any(Array) });
  });

  it('when a mandatory field is missing on add or when the stage moves, then 400 CRM_FIELD_ERROR_REQUIRED naming its label', async () => {
    const t = await newType();
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    await call('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${t.id}`, fieldName: `UF_CRM_${t.id}_INN`, userTypeId: 'string', mandatory: 'Y', editFormLabel: { ru: 'ИНН' } } });
    expect(await raw('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} })).toEqual({ status: 400, body: { error: 'CRM_FIELD_ERROR_REQUIRED', error_description: 'The "ИНН" field is required' } });
    const cat = item.categoryId as number;
    const moved = await raw('crm.item.update', { entityTypeId: t.entityTypeId, id: item.id, fields: { stageId: `DT${t.entityTypeId}_${cat}:CLIENT` } });
    expect(moved.body.error).toBe('CRM_FIELD_ERROR_REQUIRED');
  });

  it('when fields are listed, got, updated and deleted, then the answers follow the documented shapes', async () => {
    const t = await newType();
    const added = await call<{ field: { id: string } }>('userfieldconfig.add', { moduleId: 'crm', field: { entityId: `CRM_${t.id}`, fieldName: `UF_CRM_${t.id}_NOTE`, userTypeId: 'string' } });
    const list = await raw('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${t.id}` } });
    expect((list.body.result as { fields: { fieldName: string }[] }).fields.map((f) => f.fieldName)).toEqual([`UF_CRM_${t.id}_NOTE`]);
    expect(list.body.total).toBe(1);
    const updated = await call<{ field: { mandatory: string; sort: string } }>('userfieldconfig.update', { moduleId: 'crm', id: added.field.id, field: { mandatory: 'Y', sort: 200 } });
    expect(updated.field).toMatchObject({ mandatory: 'Y', sort: '200' });
    expect(await call('userfieldconfig.delete', { moduleId: 'crm', id: added.field.id })).toBeNull();
    expect((await raw('userfieldconfig.get', { moduleId: 'crm', id: added.field.id })).body.error).toBe('');
  });
});

describe('crm.category.* and crm.status.*', () => {
  it('when a stage is added without its pipeline prefix, then the prefix is added and sort order is kept', async () => {
    const t = await newType();
    const cat = (await call<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: t.entityTypeId })).categories[0]!;
    const id = await call<number>('crm.status.add', { fields: { ENTITY_ID: `DYNAMIC_${t.entityTypeId}_STAGE_${cat.id}`, STATUS_ID: 'APPROVAL', NAME: 'Согласование', SORT: 25 } });
    const got = await call<Record<string, unknown>>('crm.status.get', { id });
    expect(got).toMatchObject({ STATUS_ID: `DT${t.entityTypeId}_${cat.id}:APPROVAL`, SORT: '25', CATEGORY_ID: String(cat.id), SEMANTICS: null, SYSTEM: 'N' });
    const items = await call<{ STATUS_ID: string; SORT: number }[]>('crm.status.entity.items', { entityId: `DYNAMIC_${t.entityTypeId}_STAGE_${cat.id}` });
    expect(items.map((s) => s.STATUS_ID.split(':')[1])).toEqual(['NEW', 'PREPARATION', 'APPROVAL', 'CLIENT', 'SUCCESS', 'FAIL']);
  });

  it('when crm.status.add lacks ids, names a missing list, or repeats a STATUS_ID, then the documented errors come back', async () => {
    expect((await raw('crm.status.add', { fields: { NAME: 'x' } })).body).toEqual({ error: '', error_description: 'The field ENTITY_ID is required. The field STATUS_ID is required.' });
    expect((await raw('crm.status.add', { fields: { ENTITY_ID: 'NOPE', STATUS_ID: 'X', NAME: 'x' } })).body.error_description).toBe('Specified entity type is not supported.');
    expect((await raw('crm.status.add', { fields: { ENTITY_ID: 'SOURCE', STATUS_ID: 'CALL', NAME: 'x' } })).body).toEqual({ error: 'ERROR_CORE', error_description: 'The specified status ID already exists.' });
  });

  it('when a deal stage is added after the success stage, then the documented sort error answers', async () => {
    const r = await raw('crm.status.add', { fields: { ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'LATE', NAME: 'Поздно', SORT: 999 } });
    expect(r.body.error_description).toMatch(/^Cannot create more stages after the final stage/);
  });

  it('when a system stage is deleted without FORCED, then it is refused; with FORCED it goes', async () => {
    const t = await newType();
    const cat = (await call<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: t.entityTypeId })).categories[0]!;
    const fail = (await call<{ ID: string; STATUS_ID: string }[]>('crm.status.list', { filter: { ENTITY_ID: `DYNAMIC_${t.entityTypeId}_STAGE_${cat.id}`, SEMANTICS: 'F' } }))[0]!;
    expect((await raw('crm.status.delete', { id: fail.ID })).body.error_description).toMatch(/FORCED/);
    expect(await call('crm.status.delete', { id: fail.ID, params: { FORCED: 'Y' } })).toBe(true);
  });

  it('when deal pipelines are listed, then the default one has id 0; a new one gets C{id}: stages', async () => {
    const deals = await call<{ categories: { id: number; isDefault: string }[] }>('crm.category.list', { entityTypeId: 2 });
    expect(deals.categories.find((c) => c.isDefault === 'Y')?.id).toBe(0);
    const cat = (await call<{ category: { id: number; originId: string } }>('crm.category.add', { entityTypeId: 2, fields: { name: 'Опт' } })).category;
    expect(cat.originId).toBe('');
    const stages = await call<{ STATUS_ID: string }[]>('crm.status.entity.items', { entityId: `DEAL_STAGE_${cat.id}` });
    expect(stages[0]?.STATUS_ID).toBe(`C${cat.id}:NEW`);
    expect((await raw('crm.category.list', { entityTypeId: 1 })).body.error).toBe('ENTITY_TYPE_NOT_SUPPORTED');
  });

  it('when the default or a non-empty SPA pipeline is deleted, then BX_ERROR', async () => {
    const t = await newType();
    const def = (await call<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId: t.entityTypeId })).categories[0]!;
    expect((await raw('crm.category.delete', { entityTypeId: t.entityTypeId, id: def.id })).body).toEqual({ error: 'BX_ERROR', error_description: 'This funnel is the default funnel' });
    const other = (await call<{ category: { id: number } }>('crm.category.add', { entityTypeId: t.entityTypeId, fields: { name: 'B', isDefault: 'Y' } })).category;
    const cats = (await call<{ categories: { id: number; isDefault: string }[] }>('crm.category.list', { entityTypeId: t.entityTypeId })).categories;
    expect(cats.find((c) => c.id === other.id)?.isDefault).toBe('Y');
    expect(cats.find((c) => c.id === def.id)?.isDefault).toBe('N');
    expect(await call('crm.category.delete', { entityTypeId: t.entityTypeId, id: def.id })).toBeNull();
  });
});

describe('crm.company.*, crm.contact.*, crm.requisite.*', () => {
  it('when a company is added, got, updated and deleted, then values come back as strings and multi-fields as lists', async () => {
    const id = await call<number>('crm.company.add', { fields: { TITLE: 'ООО «Тест»', REVENUE: 3000000, EMAIL: [{ VALUE: 'a@b.example', VALUE_TYPE: 'WORK' }] } });
    const got = await call<Record<string, unknown>>('crm.company.get', { id });
    expect(got).toMatchObject({ ID: String(id), TITLE: 'ООО «Тест»', REVENUE: '3000000', HAS_EMAIL: 'Y', ASSIGNED_BY_ID: '1', EMAIL: [{ ID: expect.any(String), VALUE_TYPE: 'WORK', VALUE: 'a@b.example', TYPE_ID: 'EMAIL' }] });
    expect(got.DATE_CREATE).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await call('crm.company.update', { id, fields: { TITLE: 'ООО «Тест-2»' } })).toBe(true);
    expect((await call<Record<string, unknown>>('crm.company.get', { id })).TITLE).toBe('ООО «Тест-2»');
    expect(await call('crm.company.delete', { id })).toBe(true);
    expect((await raw('crm.company.get', { id })).body).toEqual({ error: '', error_description: 'Not found' });
  });

  it('when fields is not an object or the e-mail is invalid, then the classic errors answer', async () => {
    expect((await raw('crm.company.add', { fields: 'x' })).body).toEqual({ error: '', error_description: "Parameter 'fields' must be array." });
    expect((await raw('crm.contact.add', { fields: { NAME: 'a', EMAIL: [{ VALUE: 'not-mail' }] } })).body.error).toBe('ERROR_CORE');
  });

  it('when contacts are searched by the e-mail of a dealer user, then the contact and its company are found', async () => {
    const dealer = portal.users.dealers[0]!;
    const user = portal.store.users.get(dealer.userIds[0]!)!;
    const contacts = await call<{ ID: string; COMPANY_ID: string }[]>('crm.contact.list', { filter: { EMAIL: user.EMAIL }, select: ['ID', 'COMPANY_ID'] });
    expect(contacts).toEqual([{ ID: String(dealer.contactIds[0]), COMPANY_ID: String(dealer.companyId) }]);
  });

  it('when a requisite is added for a company, then it is listed by ENTITY_ID; an unknown owner is refused', async () => {
    const id = await call<number>('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: 2, PRESET_ID: 1, NAME: 'Основные', RQ_INN: '7700000000' } });
    const list = await call<{ ID: string; RQ_INN: string }[]>('crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: 2, RQ_INN: '7700000000' } });
    expect(list.map((r) => r.ID)).toEqual([String(id)]);
    expect((await raw('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: 99999, PRESET_ID: 1, NAME: 'x' } })).status).toBe(400);
  });
});

describe('product rows and timeline', () => {
  it('when rows are set on an item, then the owner amount follows, and list/get/update/delete work by the short owner code', async () => {
    const t = await newType({ isLinkWithProductsEnabled: 'Y' });
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    const ownerType = `T${t.entityTypeId.toString(16)}`;
    const set = await call<{ productRows: { id: number; ownerType: string }[] }>('crm.item.productrow.set', {
      ownerType, ownerId: item.id, productRows: [{ productName: 'Дрель', price: 1000, quantity: 2 }, { productName: 'Бур', price: 150.5, quantity: 4, discountTypeId: 2, discountRate: 10 }],
    });
    expect(set.productRows.map((r) => r.ownerType)).toEqual([ownerType, ownerType]);
    expect((await call<ItemAnswer>('crm.item.get', { entityTypeId: t.entityTypeId, id: item.id })).item.opportunity).toBe(2602);
    const list = await raw('crm.item.productrow.list', { filter: { '=ownerType': ownerType, '=ownerId': item.id } });
    expect((list.body.result as { productRows: unknown[] }).productRows).toHaveLength(2);
    const row = set.productRows[0]!;
    const updated = await call<{ productRow: { quantity: number } }>('crm.item.productrow.update', { id: row.id, fields: { quantity: 3 } });
    expect(updated.productRow.quantity).toBe(3);
    expect(await call('crm.item.productrow.delete', { id: row.id })).toBeNull();
    expect((await raw('crm.item.productrow.set', { ownerType, ownerId: 999999, productRows: [] })).body).toEqual({ error: 'OWNER_NOT_FOUND', error_description: 'Owner was not found' });
  });

  it('when a comment is added to a smart-process item, then its id is returned; a missing owner answers NOT_FOUND', async () => {
    const t = await newType();
    const { item } = await call<ItemAnswer>('crm.item.add', { entityTypeId: t.entityTypeId, fields: {} });
    const id = await call<number>('crm.timeline.comment.add', { fields: { ENTITY_ID: item.id, ENTITY_TYPE: `dynamic_${t.entityTypeId}`, COMMENT: 'Проверено' } });
    expect(portal.store.timelineComments.get(id)).toMatchObject({ comment: 'Проверено', entityId: item.id });
    expect((await raw('crm.timeline.comment.add', { fields: { ENTITY_ID: 999999, ENTITY_TYPE: `dynamic_${t.entityTypeId}`, COMMENT: 'x' } })).body.error).toBe('NOT_FOUND');
    expect((await raw('crm.timeline.comment.add', { FIELDS: { ENTITY_ID: item.id, ENTITY_TYPE: `dynamic_${t.entityTypeId}`, COMMENT: 'x' } })).body.error).toBe('100');
  });
});
