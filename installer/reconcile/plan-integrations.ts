import type { RobotDefinition } from '../../robots/definitions.js';
import type { TInstallerRecord } from '../installer-record.js';
import { desiredRobot, placementBindParams, type DesiredPlacement, type EntityTypeIds } from './desired-state.js';
import { fingerprint, stableJson } from './fingerprint.js';
import type { Model, Operation } from './operation.types.js';
import type { EventRow, PlacementRow } from './portal-state.types.js';

/**
 * Placements (api-reference/widgets/placement-*.md), robots (bizproc/bizproc-robot/*) and event bindings
 * (events/event-bind.md). None of these has an "update" that keeps the row, except robots: a placement whose title,
 * options or handler changed is unbound first, then bound again.
 */

const optionsKey = (o: Record<string, unknown>) => stableJson(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])));

function placementDiffers(row: PlacementRow, d: DesiredPlacement): string[] {
  const out: string[] = [];
  if (row.title !== d.title) out.push(`title: «${row.title}» → «${d.title}»`);
  for (const l of ['ru', 'en'] as const) if ((row.langAll[l]?.TITLE ?? '') !== d.langAll[l].TITLE) out.push(`LANG_ALL.${l}.TITLE → «${d.langAll[l].TITLE}»`);
  if (optionsKey(row.options) !== optionsKey(d.options)) out.push(`options → ${JSON.stringify(d.options)}`);
  return out;
}

function unbindPlacement(key: string, row: { placement: string; handler: string }, why: { ru: string; en: string }): Operation {
  return {
    id: `placement.unbind:${key}:${row.placement}`,
    kind: 'unbindPlacement',
    step: 'placements',
    phase: 1,
    pending: false,
    call: { method: 'placement.unbind', params: { PLACEMENT: row.placement, HANDLER: row.handler } },
    text: { ru: `Снять виджет ${row.placement} → ${row.handler} (${why.ru})`, en: `Unbind widget ${row.placement} → ${row.handler} (${why.en})` },
    apply(model) {
      model.state.placements = model.state.placements.filter((p) => !(p.placement === row.placement && p.handler === row.handler));
      model.record.placements = model.record.placements.filter((p) => !(p.placement === row.placement && p.handler === row.handler));
    },
  };
}

function bindPlacement(d: DesiredPlacement, changes?: string[]): Operation {
  return {
    id: `placement.bind:${d.key}`,
    kind: 'bindPlacement',
    step: 'placements',
    phase: d.dynamic ? 2 : 1,
    pending: d.pending,
    call: { method: 'placement.bind', params: placementBindParams(d) },
    text: { ru: `Встроить виджет ${d.placement} «${d.langAll.ru.TITLE}» → ${d.handler} [${d.key}]`, en: `Bind widget ${d.placement} «${d.langAll.en.TITLE}» → ${d.handler} [${d.key}]` },
    changes,
    apply(model) {
      model.state.placements.push({ placement: d.placement, handler: d.handler, title: d.title, options: d.options, langAll: d.langAll });
      model.record.placements = [...model.record.placements.filter((p) => p.key !== d.key), { key: d.key, placement: d.placement, handler: d.handler }];
    },
  };
}

export function planPlacements(desired: DesiredPlacement[], current: PlacementRow[], record: TInstallerRecord): Operation[] {
  const ops: Operation[] = [];
  const unbound = new Set<string>();
  const unbind = (key: string, row: { placement: string; handler: string }, why: { ru: string; en: string }) => {
    const id = `${row.placement} ${row.handler}`;
    if (unbound.has(id) || !current.some((p) => p.placement === row.placement && p.handler === row.handler)) return;
    unbound.add(id);
    ops.push(unbindPlacement(key, row, why));
  };
  for (const d of desired) {
    if (d.pending) {
      ops.push(bindPlacement(d));
      continue;
    }
    const row = current.find((p) => p.placement === d.placement && p.handler === d.handler);
    const recorded = record.placements.find((p) => p.key === d.key);
    if (recorded && (recorded.placement !== d.placement || recorded.handler !== d.handler)) {
      unbind(d.key, recorded, { ru: 'обработчик изменился', en: 'its handler changed' });
    }
    if (!row) ops.push(bindPlacement(d));
    else {
      const changes = placementDiffers(row, d);
      if (changes.length) {
        unbind(d.key, row, { ru: 'будет встроен заново', en: 'bound again below' });
        ops.push(bindPlacement(d, changes));
      }
    }
  }
  for (const r of record.placements) {
    if (!desired.some((d) => d.key === r.key)) unbind(r.key, r, { ru: 'больше нет в манифесте', en: 'no longer in the manifest' });
  }
  // Unbinds first: a placement bound again with the same handler must be removed before it is added.
  return ops.sort((a, b) => Number(a.kind !== 'unbindPlacement') - Number(b.kind !== 'unbindPlacement'));
}

export function planRobots(defs: RobotDefinition[], robotCodes: string[], etis: EntityTypeIds, publicUrl: string, adminUserId: number | null, record: TInstallerRecord): Operation[] {
  const ops: Operation[] = [];
  for (const def of defs) {
    const d = desiredRobot(def, etis, publicUrl, adminUserId);
    const hash = fingerprint(d.params);
    const exists = robotCodes.includes(def.code);
    const recorded = record.robots.find((r) => r.code === def.code);
    if (exists && recorded?.fingerprint === hash) continue;
    const where = def.documentTypes.join(', ');
    const remember = (model: Model) => {
      if (!model.state.robots.includes(def.code)) model.state.robots.push(def.code);
      model.record.robots = [...model.record.robots.filter((r) => r.code !== def.code), { code: def.code, fingerprint: hash, entityTypeIds: d.entityTypeIds }];
    };
    if (!exists) {
      ops.push({
        id: `robot.add:${def.code}`,
        kind: 'addRobot',
        step: 'robots',
        phase: 2,
        pending: d.pending,
        call: { method: 'bizproc.robot.add', params: d.params },
        text: { ru: `Зарегистрировать робота ${def.code} «${def.name.ru}» (${where})`, en: `Register robot ${def.code} «${def.name.en}» (${where})` },
        apply: remember,
      });
    } else {
      const { CODE: _code, ...fields } = d.params;
      ops.push({
        id: `robot.update:${def.code}`,
        kind: 'updateRobot',
        step: 'robots',
        phase: 2,
        pending: d.pending,
        // bizproc.robot.list answers codes only, so a robot is compared through the hash of what we last sent.
        call: { method: 'bizproc.robot.update', params: { CODE: def.code, FIELDS: fields } },
        text: { ru: `Обновить робота ${def.code} «${def.name.ru}» (${where})`, en: `Update robot ${def.code} «${def.name.en}» (${where})` },
        changes: [recorded ? 'definition changed since the last run' : 'registered before, definition not recorded'],
        apply: remember,
      });
    }
  }
  for (const r of record.robots) {
    if (defs.some((d) => d.code === r.code) || !robotCodes.includes(r.code)) continue;
    ops.push({
      id: `robot.delete:${r.code}`,
      kind: 'deleteRobot',
      step: 'robots',
      phase: 1,
      pending: false,
      call: { method: 'bizproc.robot.delete', params: { CODE: r.code } },
      text: { ru: `Удалить робота ${r.code} (больше нет в манифесте)`, en: `Delete robot ${r.code} (no longer in the manifest)` },
      apply(model) {
        model.state.robots = model.state.robots.filter((c) => c !== r.code);
        model.record.robots = model.record.robots.filter((x) => x.code !== r.code);
      },
    });
  }
  return ops;
}

export function unbindEventOp(row: { event: string; handler: string }, why: { ru: string; en: string }): Operation {
  return {
    id: `event.unbind:${row.event}:${row.handler}`,
    kind: 'unbindEvent',
    step: 'events',
    phase: 1,
    pending: false,
    call: { method: 'event.unbind', params: { event: row.event, handler: row.handler } },
    text: { ru: `Отписаться от события ${row.event} → ${row.handler} (${why.ru})`, en: `Unbind event ${row.event} → ${row.handler} (${why.en})` },
    apply(model) {
      model.state.events = model.state.events.filter((e) => !(e.event === row.event && e.handler === row.handler));
      model.record.events = model.record.events.filter((e) => !(e.event === row.event && e.handler === row.handler));
    },
  };
}

/** Every update of the app removes its event bindings (event-bind.md), so this also re-binds after ONAPPUPDATE. */
export function planEvents(events: readonly string[], handler: string, current: EventRow[], record: TInstallerRecord): Operation[] {
  const online = current.filter((e) => !e.offline);
  const ops: Operation[] = [];
  for (const r of record.events) {
    const wanted = events.includes(r.event) && r.handler === handler;
    if (!wanted && online.some((e) => e.event === r.event && e.handler === r.handler)) {
      ops.push(unbindEventOp(r, r.handler !== handler ? { ru: 'адрес обработчика изменился', en: 'the handler URL changed' } : { ru: 'больше нет в манифесте', en: 'no longer in the manifest' }));
    }
  }
  for (const event of events) {
    if (online.some((e) => e.event === event && e.handler === handler)) continue;
    ops.push({
      id: `event.bind:${event}`,
      kind: 'bindEvent',
      step: 'events',
      phase: 1,
      pending: false,
      call: { method: 'event.bind', params: { event, handler } },
      text: { ru: `Подписаться на событие ${event} → ${handler}`, en: `Bind event ${event} → ${handler}` },
      apply(model) {
        model.state.events.push({ event, handler, authType: 0, offline: false });
        model.record.events = [...model.record.events.filter((e) => !(e.event === event && e.handler === handler)), { event, handler }];
      },
    });
  }
  return ops;
}
