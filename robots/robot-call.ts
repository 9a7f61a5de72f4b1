import { z } from 'zod';

/** A list that arrives as `x[0]=…&x[1]=…` (an array after PHP-style parsing) or as a map with numeric keys. */
const ZTriple = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]) : v),
  z.array(z.string().max(200)).min(3, 'expected three parts').max(3, 'expected three parts'),
);

/**
 * The robot handler POST (form-urlencoded; ActivityHandlerParams of @bitrix24/b24jssdk, bizproc-robot-add.md):
 * event_token, workflow_id, code, document_id[0..2], document_type[0..2], properties[…], use_subscription,
 * timeout_duration, ts, auth[…] (with application_token, member_id, domain, and tokens we never use or keep).
 */
export const ZRobotCall = z.object({
  event_token: z.string().min(8, 'event_token is required').max(1000),
  workflow_id: z.string().max(100).optional(),
  code: z.string().max(100).optional(),
  document_id: ZTriple,
  document_type: ZTriple.optional(),
  properties: z.record(z.string(), z.unknown()).optional().default({}),
  use_subscription: z.string().max(2).optional(),
  timeout_duration: z.string().max(20).optional(),
  ts: z.coerce.number().optional(),
  auth: z
    .object({
      member_id: z.string().max(64).optional(),
      application_token: z.string().max(512).optional(),
      domain: z.string().max(255).optional(),
      user_id: z.coerce.number().int().optional(),
    })
    .passthrough()
    .optional(),
});
export type TRobotCall = z.infer<typeof ZRobotCall>;

/** What the job keeps: no tokens of the auth block, only what the run needs (event_token is the answer's address). */
export interface RobotJobPayload {
  portalId: number;
  code: string;
  eventToken: string;
  workflowId: string | null;
  documentId: string[];
  properties: Record<string, unknown>;
  /** The portal waits for bizproc.event.send unless the robot was registered with USE_SUBSCRIPTION N. */
  waits: boolean;
  userId: number | null;
}

/** Property values arrive as text; keep strings (and lists of strings), cap their size. */
export function cleanProperties(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw).slice(0, 50)) {
    if (typeof v === 'string') out[k] = v.slice(0, 10_000);
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').slice(0, 100);
  }
  return out;
}
