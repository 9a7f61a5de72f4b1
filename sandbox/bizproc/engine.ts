import { randomHex, randomToken } from '../core/random.js';
import type { AutomationSink, PortalRuntime } from '../core/runtime.js';
import { itemFields, storedValue } from '../crm/item-fields.js';
import { stagesOf } from '../crm/stages.js';
import { categoriesOf, findItemType } from '../crm/type-model.js';
import { toIntOrNull } from '../crm/values.js';
import { handlerAuth } from '../events/event-auth.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import { SystemErrors } from '../rest/rest-error.js';
import type { SAutomationRule, SItem, SRobot, SWorkflow, SWorkflowStep } from '../store/types.js';

/**
 * Automation rules: per (entityTypeId, pipeline, stage) an ordered list of app robots. When an item enters the stage
 * its robots run in order; each gets the handler POST of api-reference/bizproc/bizproc-robot/bizproc-robot-add.md
 * and, unless registered with USE_SUBSCRIPTION=N, the workflow waits for bizproc.event.send before the next robot.
 */
export interface AttachRobotInput {
  entityTypeId: number;
  stageId: string;
  /** Pipeline; derived from the stage when omitted. */
  categoryId?: number;
  /** Robot CODE (bizproc.robot.add). */
  robot: string;
  /** App that registered the robot; the only app when omitted. */
  clientId?: string;
  /** Property values; `{=Document:FIELD}` takes the item's field (UPPER_CASE name). */
  properties?: Record<string, unknown>;
  title?: string;
}

export function documentIdOf(entityTypeId: number, itemId: number): string[] {
  if (entityTypeId === 2) return ['crm', 'CCrmDocumentDeal', `DEAL_${itemId}`];
  if (entityTypeId === 1) return ['crm', 'CCrmDocumentLead', `LEAD_${itemId}`];
  return ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${entityTypeId}_${itemId}`];
}

export function documentTypeOf(entityTypeId: number): string[] {
  if (entityTypeId === 2) return ['crm', 'CCrmDocumentDeal', 'DEAL'];
  if (entityTypeId === 1) return ['crm', 'CCrmDocumentLead', 'LEAD'];
  return ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${entityTypeId}`];
}

export class AutomationEngine implements AutomationSink {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly rt: () => PortalRuntime,
    private readonly events: EventDispatcher,
  ) {}

  // ---- rules (control functions; the automation page comes later) ----

  attach(input: AttachRobotInput): SAutomationRule {
    const rt = this.rt();
    const model = findItemType(rt.store, input.entityTypeId);
    if (!model) throw new Error(`automation.attach: no entity type ${input.entityTypeId}`);
    const categoryId =
      input.categoryId ??
      categoriesOf(rt.store, input.entityTypeId).find((c) => stagesOf(rt.store, model.stageEntityId(c.id)).some((s) => s.STATUS_ID === input.stageId))?.id;
    if (categoryId === undefined) throw new Error(`automation.attach: stage ${input.stageId} is not a stage of entity type ${input.entityTypeId}`);
    const robots = rt.store.robots.filter((r) => r.code === input.robot && (!input.clientId || r.clientId === input.clientId));
    if (robots.length !== 1) throw new Error(`automation.attach: robot ${input.robot} is ${robots.length ? 'ambiguous, pass clientId' : 'not registered (bizproc.robot.add)'}`);
    const robot = robots[0] as SRobot;
    let rule = rt.store.automationRules.find((r) => r.entityTypeId === input.entityTypeId && r.categoryId === categoryId && r.stageId === input.stageId);
    if (!rule) {
      rule = rt.store.automationRules.insert({ id: rt.store.nextId('automationRule'), entityTypeId: input.entityTypeId, categoryId, stageId: input.stageId, robots: [] });
    }
    rule.robots.push({ clientId: robot.clientId, code: robot.code, properties: { ...(input.properties ?? {}) }, ...(input.title ? { title: input.title } : {}) });
    rt.store.automationRules.touch();
    return rule;
  }

  /** Removes one robot (by code) or the whole stage's list. Returns how many robots were removed. */
  detach(input: { entityTypeId: number; stageId: string; robot?: string; categoryId?: number }): number {
    const rt = this.rt();
    let removed = 0;
    for (const rule of rt.store.automationRules.filter((r) => r.entityTypeId === input.entityTypeId && r.stageId === input.stageId && (input.categoryId === undefined || r.categoryId === input.categoryId))) {
      const before = rule.robots.length;
      rule.robots = input.robot ? rule.robots.filter((r) => r.code !== input.robot) : [];
      removed += before - rule.robots.length;
      if (rule.robots.length === 0) rt.store.automationRules.delete(rule.id);
    }
    rt.store.automationRules.touch();
    return removed;
  }

  list(filter: { entityTypeId?: number; categoryId?: number } = {}): SAutomationRule[] {
    return this.rt().store.automationRules.filter(
      (r) => (filter.entityTypeId === undefined || r.entityTypeId === filter.entityTypeId) && (filter.categoryId === undefined || r.categoryId === filter.categoryId),
    );
  }

  /** The workflow log of an item, oldest first (robot, sent at, returned values, log message, status). */
  log(entityTypeId: number, itemId: number): SWorkflow[] {
    return this.rt().store.workflows.filter((w) => w.entityTypeId === entityTypeId && w.itemId === itemId).sort((a, b) => a.startedAt - b.startedAt);
  }

  // ---- runtime ----

  stageEntered(item: SItem, _previousStageId: string | null): void {
    const rt = this.rt();
    const stageId = String(item.fields.stageId ?? '');
    const categoryId = toIntOrNull(item.fields.categoryId) ?? 0;
    // Entering a new stage ends the automation of the stage the item left.
    for (const wf of rt.store.workflows.filter((w) => w.entityTypeId === item.entityTypeId && w.itemId === item.id && (w.status === 'running' || w.status === 'waiting'))) {
      wf.status = 'terminated';
    }
    rt.store.workflows.touch();
    const rule = rt.store.automationRules.find((r) => r.entityTypeId === item.entityTypeId && r.categoryId === categoryId && r.stageId === stageId);
    if (!rule || rule.robots.length === 0) return;
    const workflow: SWorkflow = {
      id: `${randomHex(7)}.${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      entityTypeId: item.entityTypeId,
      itemId: item.id,
      categoryId,
      stageId,
      status: 'running',
      startedAt: rt.clock.now(),
      steps: rule.robots.map((r) => ({
        robotCode: r.code,
        clientId: r.clientId,
        eventToken: '',
        sentAt: null,
        status: 'pending' as const,
        httpStatus: null,
        returnValues: null,
        logMessage: null,
        completedAt: null,
        error: null,
      })),
    };
    rt.store.workflows.insert(workflow);
    this.continue(workflow, rule);
  }

  private continue(workflow: SWorkflow, rule?: SAutomationRule): void {
    const task = this.advance(workflow, rule).catch((err) => this.rt().logger.error({ err }, 'sandbox workflow failed'));
    this.track(task);
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async advance(workflow: SWorkflow, ruleHint?: SAutomationRule): Promise<void> {
    const rt = this.rt();
    await new Promise((r) => setImmediate(r));
    while (workflow.status === 'running') {
      const index = workflow.steps.findIndex((s) => s.status === 'pending');
      if (index === -1) {
        workflow.status = 'completed';
        rt.store.workflows.touch();
        return;
      }
      const step = workflow.steps[index] as SWorkflowStep;
      const rule =
        ruleHint ??
        rt.store.automationRules.find((r) => r.entityTypeId === workflow.entityTypeId && r.categoryId === workflow.categoryId && r.stageId === workflow.stageId);
      const robot = rt.store.robots.find((r) => r.clientId === step.clientId && r.code === step.robotCode);
      const app = rt.store.apps.get(step.clientId);
      if (!robot || !app || !app.active) {
        Object.assign(step, { status: 'skipped', error: 'robot is no longer registered', completedAt: rt.clock.now() });
        rt.store.workflows.touch();
        continue;
      }
      const properties = this.properties(robot, rule?.robots[index]?.properties ?? {}, workflow);
      const waits = robot.useSubscription.toUpperCase() !== 'N';
      step.eventToken = `${workflow.id}|A${randomHex(5)}_${randomHex(3)}|${randomToken(32)}.${randomHex(32)}`;
      step.sentAt = rt.clock.now();
      step.status = waits ? 'waiting' : 'sent';
      workflow.status = waits ? 'waiting' : 'running';
      rt.store.workflows.touch();
      const body = {
        event_token: step.eventToken,
        workflow_id: workflow.id,
        code: robot.code,
        document_id: documentIdOf(workflow.entityTypeId, workflow.itemId),
        document_type: documentTypeOf(workflow.entityTypeId),
        properties,
        use_subscription: waits ? 'Y' : 'N',
        timeout_duration: '0',
        ts: String(Math.floor(rt.clock.now() / 1000)),
        auth: handlerAuth(rt, app, robot.authUserId || app.installedBy || 1, { robot: true }),
      };
      const status = await this.events.send('robot', robot.code, robot.handler, body);
      step.httpStatus = status;
      if (status === null || status >= 400) {
        // A dropped POST looks like a robot that never answers; a failing handler ends the workflow.
        if (status !== null || !waits) {
          Object.assign(step, { status: status === null ? 'sent' : 'failed', error: status === null ? null : `handler answered ${status}` });
          if (status !== null) workflow.status = 'failed';
        }
        rt.store.workflows.touch();
        if (workflow.status === 'failed') return;
      }
      if (!waits) {
        Object.assign(step, { status: 'done', completedAt: rt.clock.now() });
        rt.store.workflows.touch();
        continue;
      }
      return;
    }
  }

  /** Property values for the POST: rule values (with `{=Document:FIELD}` resolved), else the robot's defaults. */
  private properties(robot: SRobot, values: Record<string, unknown>, workflow: SWorkflow): Record<string, unknown> {
    const rt = this.rt();
    const item = rt.store.items.get(`${workflow.entityTypeId}:${workflow.itemId}`);
    const model = findItemType(rt.store, workflow.entityTypeId);
    const fields = item && model ? itemFields(rt.store, model, toIntOrNull(item.fields.categoryId)) : [];
    const resolve = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      return v.replace(/\{=Document:([A-Z0-9_]+)\}/g, (_m, name: string) => {
        const f = fields.find((x) => x.upperName === name || (name === 'ID' && x.name === 'id'));
        const value = item && f ? storedValue(item, f) : undefined;
        return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
      });
    };
    const out: Record<string, unknown> = {};
    for (const [key, def] of Object.entries(robot.properties)) {
      const d = (def ?? {}) as Record<string, unknown>;
      out[key] = key in values ? resolve(values[key]) : (d.Default ?? '');
    }
    for (const [key, v] of Object.entries(values)) if (!(key in out)) out[key] = resolve(v);
    return out;
  }

  /** bizproc.event.send: completes the waiting robot and moves the workflow on. Unknown or used token: ACCESS_DENIED. */
  eventSend(token: string, returnValues: Record<string, unknown>, logMessage: string, clientId: string | null): void {
    const rt = this.rt();
    for (const wf of rt.store.workflows.all()) {
      const step = wf.steps.find((s) => s.eventToken === token);
      if (!step) continue;
      if (step.status !== 'waiting' || (clientId && step.clientId !== clientId)) break;
      Object.assign(step, { status: 'done', returnValues, logMessage, completedAt: rt.clock.now() });
      if (wf.status === 'waiting') {
        wf.status = 'running';
        this.continue(wf);
      }
      rt.store.workflows.touch();
      return;
    }
    throw SystemErrors.accessDenied();
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

