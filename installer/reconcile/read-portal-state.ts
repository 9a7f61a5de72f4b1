import type { B24Call, B24CallOutcome, B24Client } from '../../server/bitrix24/index.js';
import type { Manifest } from '../manifest.js';
import type { TInstallerRecord } from '../installer-record.js';
import { resolveBindings } from './bindings.js';
import { parseCategory, parseEvent, parseField, parsePlacement, parseStage, parseType, rowsOf } from './parse-rows.js';
import { pipelineOf } from './plan-apply.js';
import type { CategoryRow, FieldRow, PortalState, StageRow, TypeDetails, TypeRow } from './portal-state.types.js';

/**
 * Reads what the reconciler compares against, packing every independent read into batches. What the last run
 * recorded (type ids, pipeline, enumeration field ids) is read in the first round together with the global lists, so
 * a portal that is already reconciled costs one batch request; anything the record did not predict (a type found by
 * our code, another default pipeline) is read in a following round.
 */
export class PortalReadError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PortalReadError';
  }
}

const LABEL_LANGS = ['ru', 'en'] as const;

interface ReadOptions {
  manifest: Manifest;
  record: TInstallerRecord;
  /** Known installing admin; when null, user.current names the token's user. */
  adminUserId: number | null;
  /** Uninstall needs to know which types still have items (crm.type.delete refuses those). */
  withItemCounts?: boolean;
}

type Wanted = Map<string, B24Call>;

export async function readPortalState(client: B24Client, opts: ReadOptions): Promise<PortalState> {
  const { manifest, record } = opts;
  const cache = new Map<string, B24CallOutcome>();
  const send = async (wanted: Wanted) => {
    const entries = [...wanted].filter(([k]) => !cache.has(k));
    if (!entries.length) return 0;
    const outcomes = await client.callMany(entries.map(([, call]) => call));
    entries.forEach(([k], i) => cache.set(k, outcomes[i]!));
    return entries.length;
  };
  const ok = (key: string): unknown => {
    const o = cache.get(key);
    if (!o) return undefined;
    if (!o.ok) throw new PortalReadError(`reading the portal failed: ${o.error.method}: ${o.error.code}${o.error.description ? ` — ${o.error.description}` : ''}`, o.error);
    return o.result;
  };

  // Round 1: global lists plus what the record predicts.
  const first: Wanted = new Map([
    ['types', { method: 'crm.type.list', params: { order: { id: 'ASC' } } }],
    ['placements', { method: 'placement.get', params: {} }],
    ['robots', { method: 'bizproc.robot.list', params: {} }],
    ['events', { method: 'event.get', params: {} }],
  ]);
  if (opts.adminUserId === null) first.set('me', { method: 'user.current', params: {} });
  for (const spec of manifest.smartProcesses) {
    const r = record.smartProcesses[spec.key];
    if (!r) continue;
    addTypeReads(first, r.typeId, r.entityTypeId, opts.withItemCounts ?? false);
    if (spec.stages.length && r.categoryId !== null) addStageRead(first, r.entityTypeId, r.categoryId);
    for (const f of spec.fields) if (f.type === 'enumeration' && r.fields[f.key]) first.set(`ue:${r.fields[f.key]!.id}`, enumRead(r.fields[f.key]!.id));
  }
  await send(first);

  let types = rowsOf(ok('types'), 'types').map(parseType);
  const typesOutcome = cache.get('types');
  if (typesOutcome?.ok && typesOutcome.next !== undefined) {
    types = (await client.listAll('crm.type.list', { order: { id: 'ASC' } }, { itemsKey: 'types', mode: 'paged' })).map(parseType);
  }
  const bindings = resolveBindings(manifest, { types }, record);

  // Further rounds: whatever the bound types need that was not predicted.
  const details = new Map<number, TypeDetails>();
  for (let round = 0; round < 4; round++) {
    // Each round reads what the previous answers showed is needed (a pipeline, enumeration options); ≤ 2 in practice.
    const wanted: Wanted = new Map();
    for (const b of bindings.values()) addTypeReads(wanted, b.typeId, b.entityTypeId, opts.withItemCounts ?? false);
    await send(wanted);
    const more: Wanted = new Map();
    for (const [key, b] of bindings) {
      const spec = manifest.smartProcesses.find((s) => s.key === key)!;
      const fields = await fieldsOf(client, cache, b.typeId);
      const categories = rowsOf(ok(`cat:${b.entityTypeId}`), 'categories').map(parseCategory);
      const partial: TypeDetails = { type: typeRow(ok(`tg:${b.typeId}`)), fields, categories, stages: new Map(), itemCount: null };
      if (spec.stages.length) {
        const cat = pipelineOf(partial, record.smartProcesses[key]?.categoryId);
        if (cat !== null) addStageRead(more, b.entityTypeId, cat);
      }
      for (const f of spec.fields) {
        const row = fields.find((x) => x.fieldName === `UF_CRM_${b.typeId}_${f.code}`);
        if (row && row.userTypeId === 'enumeration') more.set(`ue:${row.id}`, enumRead(row.id));
      }
    }
    if ((await send(more)) === 0) break;
  }
  for (const b of bindings.values()) details.set(b.typeId, await assemble(client, cache, ok, b.typeId, b.entityTypeId, opts.withItemCounts ?? false));

  const admin = opts.adminUserId ?? (Number((ok('me') as { ID?: unknown } | undefined)?.ID) || null);
  return {
    types,
    details,
    placements: rowsOf(ok('placements')).map(parsePlacement),
    robots: rowsOf(ok('robots')).map(String),
    events: rowsOf(ok('events')).map(parseEvent),
    adminUserId: admin,
  };
}

function addTypeReads(wanted: Wanted, typeId: number, entityTypeId: number, withItemCounts: boolean): void {
  wanted.set(`tg:${typeId}`, { method: 'crm.type.get', params: { id: typeId } });
  for (const lang of LABEL_LANGS) {
    // Labels come back only for the language asked in select (tutorials/crm/…/how-to-add-precision-to-user-field.md).
    wanted.set(`uf:${typeId}:${lang}`, { method: 'userfieldconfig.list', params: { moduleId: 'crm', filter: { entityId: `CRM_${typeId}` }, select: { 0: '*', language: lang } } });
  }
  wanted.set(`cat:${entityTypeId}`, { method: 'crm.category.list', params: { entityTypeId } });
  if (withItemCounts) wanted.set(`cnt:${entityTypeId}`, { method: 'crm.item.list', params: { entityTypeId, select: ['id'] } });
}

const stageEntityId = (entityTypeId: number, categoryId: number) => `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`;

function addStageRead(wanted: Wanted, entityTypeId: number, categoryId: number): void {
  const entityId = stageEntityId(entityTypeId, categoryId);
  wanted.set(`st:${entityId}`, { method: 'crm.status.list', params: { filter: { ENTITY_ID: entityId }, order: { SORT: 'ASC' } } });
}

const enumRead = (id: number): B24Call => ({ method: 'userfieldconfig.get', params: { moduleId: 'crm', id } });

function typeRow(result: unknown): TypeRow {
  return parseType((result as { type?: unknown } | undefined)?.type);
}

/** Both language lists of a type's fields, merged; pages beyond the first (over 50 fields) are read in full. */
async function fieldsOf(client: B24Client, cache: Map<string, B24CallOutcome>, typeId: number): Promise<FieldRow[]> {
  const merged = new Map<number, FieldRow>();
  for (const lang of LABEL_LANGS) {
    const key = `uf:${typeId}:${lang}`;
    const o = cache.get(key);
    if (!o) continue;
    if (!o.ok) throw new PortalReadError(`reading the fields of smart process type ${typeId} failed: ${o.error.code} ${o.error.description}`, o.error);
    let rows = rowsOf(o.result, 'fields');
    if (o.next !== undefined) {
      rows = await client.listAll('userfieldconfig.list', { moduleId: 'crm', filter: { entityId: `CRM_${typeId}` }, select: { 0: '*', language: lang } }, { itemsKey: 'fields', mode: 'paged' });
      cache.set(key, { ok: true, result: { fields: rows } });
    }
    for (const raw of rows) {
      const row = parseField(raw, lang);
      const before = merged.get(row.id);
      merged.set(row.id, before ? { ...before, editFormLabel: { ...before.editFormLabel, ...row.editFormLabel }, helpMessage: { ...before.helpMessage, ...row.helpMessage } } : row);
    }
  }
  return [...merged.values()];
}

async function assemble(
  client: B24Client,
  cache: Map<string, B24CallOutcome>,
  ok: (key: string) => unknown,
  typeId: number,
  entityTypeId: number,
  withItemCounts: boolean,
): Promise<TypeDetails> {
  const fields = (await fieldsOf(client, cache, typeId)).map((f) => {
    const full = cache.get(`ue:${f.id}`);
    if (!full) return f;
    if (!full.ok) throw new PortalReadError(`reading the options of field ${f.fieldName} failed: ${full.error.code} ${full.error.description}`, full.error);
    return { ...f, enum: parseField((full.result as { field?: unknown })?.field).enum ?? [] };
  });
  const categories: CategoryRow[] = rowsOf(ok(`cat:${entityTypeId}`), 'categories').map(parseCategory);
  const stages = new Map<number, StageRow[]>();
  for (const c of categories) {
    const o = cache.get(`st:${stageEntityId(entityTypeId, c.id)}`);
    if (o?.ok) stages.set(c.id, rowsOf(o.result).map(parseStage).sort((a, b) => a.sort - b.sort || a.id - b.id));
  }
  let itemCount: number | null = null;
  if (withItemCounts) {
    const o = cache.get(`cnt:${entityTypeId}`);
    if (o?.ok) itemCount = o.total ?? rowsOf(o.result, 'items').length;
  }
  return { type: typeRow(ok(`tg:${typeId}`)), fields, categories, stages, itemCount };
}
