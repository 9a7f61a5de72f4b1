import type { B24Call } from '../../server/bitrix24/index.js';
import type { SmartProcessKey } from '../manifest.js';
import type { StepKey, TInstallerRecord } from '../installer-record.js';
import type { PortalState } from './portal-state.types.js';

export type OpKind =
  | 'createType' | 'updateType' | 'deleteType'
  | 'addField' | 'updateField' | 'deleteField'
  | 'addStage' | 'updateStage' | 'deleteStage'
  | 'bindPlacement' | 'unbindPlacement'
  | 'addRobot' | 'updateRobot' | 'deleteRobot'
  | 'bindEvent' | 'unbindEvent';

/** What an operation changes in memory when the portal confirmed it, so the next plan and the record see it. */
export interface Model {
  state: PortalState;
  record: TInstallerRecord;
}

export interface OpOutcome {
  result: unknown;
  /** Answers of the reads sent in the same batch right after a createType (its pipeline). */
  followUps: Record<string, unknown>;
}

/**
 * One change to the portal. Phase 1 runs first, in order, in sequential batches (types, then unbinds, then binds
 * that need no type id); phase 2 runs after it, every call independent of the others, packed 50 per batch.
 */
export interface Operation {
  /** Stable and unique in a plan: `field.add:orders.erpNumber`. */
  id: string;
  kind: OpKind;
  step: StepKey;
  phase: 1 | 2;
  /** Depends on a smart process that does not exist yet: shown by a dry run, planned again after phase 1. */
  pending: boolean;
  sp?: SmartProcessKey;
  call: B24Call;
  /** Batch command key (letters, digits, `_`) other commands of the same batch refer to as `$result[key]`. */
  batchKey?: string;
  followUps?: Array<{ key: string; call: B24Call }>;
  /** Human-readable, one line per language. */
  text: { ru: string; en: string };
  /** What differs, for updates (`title: "A" → "B"`). */
  changes?: string[];
  apply(model: Model, outcome: OpOutcome): void;
}
