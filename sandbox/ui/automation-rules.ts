import { documentTypeOf } from '../bizproc/engine.js';
import type { PortalRuntime } from '../core/runtime.js';
import type { SAutomationRule, SRobot } from '../store/types.js';

/**
 * Edits of a stage's robot list the automation page makes besides `automation.attach` (which appends): remove one
 * robot by its position and move one up or down. Bitrix24 has no REST for attaching robots to stages — a person does
 * it in the automation rules editor — so these act on the portal's rules directly.
 */
export interface RulePosition {
  entityTypeId: number;
  categoryId: number;
  stageId: string;
  index: number;
}

export function findRule(rt: PortalRuntime, entityTypeId: number, categoryId: number, stageId: string): SAutomationRule | undefined {
  return rt.store.automationRules.find((r) => r.entityTypeId === entityTypeId && r.categoryId === categoryId && r.stageId === stageId);
}

export function removeRobotAt(rt: PortalRuntime, at: RulePosition): boolean {
  const rule = findRule(rt, at.entityTypeId, at.categoryId, at.stageId);
  if (!rule || at.index < 0 || at.index >= rule.robots.length) return false;
  rule.robots.splice(at.index, 1);
  if (rule.robots.length === 0) rt.store.automationRules.delete(rule.id);
  else rt.store.automationRules.touch();
  return true;
}

export function moveRobot(rt: PortalRuntime, at: RulePosition, delta: -1 | 1): boolean {
  const rule = findRule(rt, at.entityTypeId, at.categoryId, at.stageId);
  const to = at.index + delta;
  if (!rule || at.index < 0 || at.index >= rule.robots.length || to < 0 || to >= rule.robots.length) return false;
  const [moved] = rule.robots.splice(at.index, 1);
  rule.robots.splice(to, 0, moved as SAutomationRule['robots'][number]);
  rt.store.automationRules.touch();
  return true;
}

/** Robots a person may add for this entity type: registered by an app whose installation is finished, for this document type. */
export function availableRobots(rt: PortalRuntime, entityTypeId: number): SRobot[] {
  const docType = documentTypeOf(entityTypeId);
  return rt.store.robots
    .filter((r) => {
      const app = rt.store.apps.get(r.clientId);
      if (!app || !app.active || !app.installed) return false;
      return !r.documentType || r.documentType[2] === docType[2];
    })
    .sort((a, b) => a.id - b.id);
}
