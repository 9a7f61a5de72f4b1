import { formatAtom } from '../../core/dates.js';
import { requireItemType } from '../../crm/type-model.js';
import { asList, toIntOrNull } from '../../crm/values.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { STimelineComment } from '../../store/types.js';

/** crm.timeline.comment.add/get/list (api-reference/crm/timeline/comments/): `fields` lowercase only since crm 23.100. */

function ownerExists(call: MethodCall, entityType: string, id: number): boolean {
  const { store } = call.rt;
  const t = entityType.toLowerCase();
  if (t === 'company') return !!store.companies.get(id);
  if (t === 'contact') return !!store.contacts.get(id);
  const eti = t === 'deal' ? 2 : t === 'lead' ? 1 : /^dynamic_(\d+)$/.exec(t)?.[1];
  if (eti === undefined) return false;
  requireItemType(store, Number(eti));
  return !!store.items.get(`${eti}:${id}`);
}

function render(c: STimelineComment): Record<string, unknown> {
  return { ID: String(c.id), CREATED: formatAtom(c.created), ENTITY_ID: c.entityId, ENTITY_TYPE: c.entityType, AUTHOR_ID: String(c.authorId), COMMENT: c.comment, FILES: c.files };
}

export const timelineMethods: MethodDef[] = [
  {
    name: 'crm.timeline.comment.add',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const fields = call.params.fields;
      if (!fields || typeof fields !== 'object') throw new RestError('100', 'Required fields are not provided', 400);
      const f = fields as Record<string, unknown>;
      const entityId = toIntOrNull(f.ENTITY_ID);
      const entityType = String(f.ENTITY_TYPE ?? '').toLowerCase();
      if (entityId === null || !entityType) throw new RestError('100', 'Required fields are not provided', 400);
      const comment = String(f.COMMENT ?? '').trim();
      if (!comment) throw new RestError('INVALID_ARG_VALUE', 'Empty comment', 400);
      if (!ownerExists(call, entityType, entityId)) throw new RestError('NOT_FOUND', 'Not found.', 400);
      const id = call.rt.store.nextId('timelineComment');
      call.rt.store.timelineComments.insert({
        id,
        entityId,
        entityType,
        comment,
        authorId: toIntOrNull(f.AUTHOR_ID) ?? call.auth.user.ID,
        created: call.rt.clock.now(),
        files: asList(f.FILES).map((x) => (Array.isArray(x) ? { name: x[0] } : x)),
      });
      return id;
    },
  },
  {
    name: 'crm.timeline.comment.get',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const c = call.rt.store.timelineComments.get(toIntOrNull(call.params.id) ?? -1);
      if (!c) throw new RestError('NOT_FOUND', 'Not found.', 400);
      return render(c);
    },
  },
  {
    name: 'crm.timeline.comment.list',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const filter = (call.params.filter ?? {}) as Record<string, unknown>;
      const entityId = toIntOrNull(filter.ENTITY_ID);
      const entityType = typeof filter.ENTITY_TYPE === 'string' ? filter.ENTITY_TYPE.toLowerCase() : null;
      const rows = call.rt.store.timelineComments
        .filter((c) => (entityId === null || c.entityId === entityId) && (entityType === null || c.entityType === entityType))
        .sort((a, b) => b.id - a.id);
      return pageOf(rows, call.start, (page) => page.map(render));
    },
  },
];
