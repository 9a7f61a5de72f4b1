import type { B24Client } from '../../bitrix24/index.js';
import { isB24Error } from '../../bitrix24/index.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { mapRuleItem, type RuleResolver } from './map-rule-item.js';
import { createPricingRulesRepository, type RuleSource, type RuleStatus } from './pricing-rules.repository.js';
import { loadEnumMaps, readRuleProcessBinding, type RuleProcessKey, type SmartProcessBinding } from './smart-process-binding.js';

export interface RuleSyncDeps {
  db: Database;
  logger: Logger;
  client: B24Client;
  /** The portal's settings (where the installer records the smart processes). */
  settings: Record<string, unknown>;
  resolver: RuleResolver;
  now?: () => Date;
}

export interface RuleProblem {
  source: RuleSource;
  b24ItemId: number;
  title: string;
  status: Exclude<RuleStatus, 'ok'>;
  problem: string;
}

export interface RuleSyncResult {
  source: RuleSource;
  /** null when the portal has no such smart process yet (the installer has not run). */
  entityTypeId: number | null;
  received: number;
  changed: number;
  deleted: number;
  problems: RuleProblem[];
}

export const RULE_PROCESSES: Array<{ key: RuleProcessKey; source: RuleSource }> = [
  { key: 'discounts', source: 'discount' },
  { key: 'offers', source: 'offer' },
];

const selectOf = (b: SmartProcessBinding) => ['id', 'title', ...Object.values(b.fields)];

/**
 * Full sync of the Discounts and Special offers smart processes into pricing_rules: every item is mapped and
 * upserted (unchanged ones write nothing), items gone from the portal are tombstoned. Runs as a job (on install,
 * on a schedule, on demand); single changes arrive by event (syncPricingRuleItem).
 */
export async function syncAllPricingRules(deps: RuleSyncDeps, portalId: number): Promise<RuleSyncResult[]> {
  const repo = createPricingRulesRepository(deps.db);
  const now = deps.now ?? (() => new Date());
  const results: RuleSyncResult[] = [];
  for (const { key, source } of RULE_PROCESSES) {
    const binding = readRuleProcessBinding(deps.settings, key);
    const result: RuleSyncResult = { source, entityTypeId: binding?.entityTypeId ?? null, received: 0, changed: 0, deleted: 0, problems: [] };
    results.push(result);
    if (!binding) continue;
    const enums = await loadEnumMaps(deps.client, binding);
    const items = await deps.client.listAll<Record<string, unknown>>('crm.item.list', { entityTypeId: binding.entityTypeId, select: selectOf(binding) }, { itemsKey: 'items' });
    for (const item of items) {
      const mapped = await mapRuleItem(item, binding, enums, deps.resolver);
      result.received++;
      if ((await repo.upsert(portalId, mapped, now())).changed) result.changed++;
      if (mapped.status !== 'ok') result.problems.push({ source, b24ItemId: mapped.b24ItemId, title: mapped.title, status: mapped.status, problem: mapped.problem ?? '' });
    }
    result.deleted = (await repo.markMissingDeleted(portalId, source, items.map((i) => Number(i.id)), now())).length;
  }
  const problems = results.flatMap((r) => r.problems);
  if (problems.length) deps.logger.warn({ portalId, problems: problems.slice(0, 20), count: problems.length }, 'pricing rules that cannot apply');
  return results;
}

/**
 * One item after ONCRMDYNAMICITEMADD / UPDATE / DELETE: read it again (events carry only the id) and store it, or
 * tombstone it when it was deleted or is gone. Returns whether the stored rule changed.
 */
export async function syncPricingRuleItem(deps: RuleSyncDeps, portalId: number, args: { source: RuleSource; itemId: number; deleted?: boolean }): Promise<{ changed: boolean; status: RuleStatus | 'deleted' | 'skipped'; problem?: string | null }> {
  const repo = createPricingRulesRepository(deps.db);
  const now = deps.now ?? (() => new Date());
  const key = RULE_PROCESSES.find((p) => p.source === args.source)!.key;
  const binding = readRuleProcessBinding(deps.settings, key);
  if (!binding) return { changed: false, status: 'skipped', problem: `the ${key} smart process is not installed in this portal` };
  if (args.deleted) return { changed: await repo.markDeleted(portalId, args.source, args.itemId, now()), status: 'deleted' };
  let item: Record<string, unknown>;
  try {
    item = (await deps.client.call<{ item: Record<string, unknown> }>('crm.item.get', { entityTypeId: binding.entityTypeId, id: args.itemId })).item;
  } catch (err) {
    if (isB24Error(err) && err.kind === 'not_found') return { changed: await repo.markDeleted(portalId, args.source, args.itemId, now()), status: 'deleted' };
    throw err;
  }
  const mapped = await mapRuleItem(item, binding, await loadEnumMaps(deps.client, binding), deps.resolver);
  const { changed } = await repo.upsert(portalId, mapped, now());
  if (mapped.status !== 'ok') deps.logger.warn({ portalId, source: args.source, itemId: args.itemId, problem: mapped.problem }, 'pricing rule cannot apply');
  return { changed, status: mapped.status, problem: mapped.problem };
}
