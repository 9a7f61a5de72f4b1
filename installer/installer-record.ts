import { z } from 'zod';

/**
 * The tenant's `settings.installer`: what the reconciler created or adopted on the portal, with the ids and REST names
 * every other module needs (read them through installed.ts, never directly), plus the journal of the last run that the
 * install page shows. Written only by the installer.
 */
export const STEP_KEYS = ['read', 'smartProcesses', 'fields', 'stages', 'placements', 'robots', 'events'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export const ZFieldRecord = z.object({
  /** `UF_CRM_13_ERP_NUMBER`: userfieldconfig, crm.item.list with useOriginalUfNames=Y, filters in robots. */
  upperName: z.string(),
  /** `ufCrm13ErpNumber`: the key crm.item.* answers and accepts. */
  restName: z.string(),
  /** userfieldconfig id. */
  id: z.number().int(),
});

export const ZSmartProcessRecord = z.object({
  /** Type id: only for userfieldconfig (`CRM_{typeId}`) and UF names. */
  typeId: z.number().int(),
  /** For crm.item.*, crm.category.*, placements, robots, events. */
  entityTypeId: z.number().int(),
  /** The pipeline DealerHub works in (the type's default category). */
  categoryId: z.number().int().nullable(),
  title: z.string(),
  /** Manifest stage key → STATUS_ID (`DT1036_5:NEW`). */
  stages: z.record(z.string(), z.string()),
  fields: z.record(z.string(), ZFieldRecord),
});

export const ZStepProgress = z.object({
  key: z.enum(STEP_KEYS),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
});

export const ZRunError = z.object({ step: z.enum(STEP_KEYS), op: z.string(), code: z.string(), message: z.string() });

export const ZRunJournal = z.object({
  runId: z.string(),
  mode: z.enum(['apply', 'uninstall']),
  manifestVersion: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'done', 'failed']),
  steps: z.array(ZStepProgress),
  errors: z.array(ZRunError),
  /** Applied operations (ids), in order, capped; the next run re-reads the portal and continues from its state. */
  applied: z.array(z.string()),
  notices: z.array(z.string()).default([]),
  writes: z.number().int(),
  hits: z.number().int(),
});

export const ZInstallerRecord = z.object({
  schema: z.literal(1).default(1),
  /** The manifest version last applied completely; null until the first complete run (and after uninstall). */
  manifestVersion: z.number().int().nullable().default(null),
  publicUrl: z.string().nullable().default(null),
  /** Language of single-language texts on the portal (type titles, stage names, enum values). */
  language: z.enum(['ru', 'en']).default('ru'),
  smartProcesses: z.record(z.string(), ZSmartProcessRecord).default({}),
  placements: z.array(z.object({ key: z.string(), placement: z.string(), handler: z.string() })).default([]),
  robots: z.array(z.object({ code: z.string(), fingerprint: z.string(), entityTypeIds: z.array(z.number().int()) })).default([]),
  events: z.array(z.object({ event: z.string(), handler: z.string() })).default([]),
  createdByUs: z
    .object({
      types: z.array(z.string()).default([]),
      /** `orders.erpNumber` */
      fields: z.array(z.string()).default([]),
      /** `orders.approval` */
      stages: z.array(z.string()).default([]),
      /** Smart processes whose default pipeline was set up (its unused default stages removed) — done once. */
      pipelines: z.array(z.string()).default([]),
    })
    .default({ types: [], fields: [], stages: [], pipelines: [] }),
  /**
   * Hash of the texts (labels, names, colours, order) last applied per object. A text that differs on the portal but
   * whose hash matches was changed by an administrator on purpose and is left alone; a new manifest text is applied.
   */
  fingerprints: z.record(z.string(), z.string()).default({}),
  lastRun: ZRunJournal.nullable().default(null),
  /** Cross-instance guard: one reconciler run per portal at a time. */
  lock: z.object({ runId: z.string(), until: z.string() }).nullable().default(null),
  uninstalledAt: z.string().nullable().default(null),
});

export type TInstallerRecord = z.infer<typeof ZInstallerRecord>;
export type TSmartProcessRecord = z.infer<typeof ZSmartProcessRecord>;
export type TFieldRecord = z.infer<typeof ZFieldRecord>;
export type TRunJournal = z.infer<typeof ZRunJournal>;
export type TStepProgress = z.infer<typeof ZStepProgress>;
export type TRunError = z.infer<typeof ZRunError>;

export const emptyRecord = (): TInstallerRecord => ZInstallerRecord.parse({});

/** The record inside a portal's settings; an absent or unreadable one reads as empty (the portal is then re-read). */
export function readRecord(settings: Record<string, unknown> | null | undefined): TInstallerRecord {
  const parsed = ZInstallerRecord.safeParse(settings?.installer ?? {});
  return parsed.success ? parsed.data : emptyRecord();
}

/** Whether the settings hold an installer record at all (even one with errors). */
export const hasRecord = (settings: Record<string, unknown> | null | undefined): boolean =>
  Boolean(settings && typeof settings.installer === 'object' && settings.installer !== null);
