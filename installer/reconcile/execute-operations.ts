import { B24Error, type B24BatchResult, type B24Call, type B24Client } from '../../server/bitrix24/index.js';
import type { Model, Operation } from './operation.types.js';

/**
 * Sends planned operations with the fewest requests the dependencies allow (settings/how-to-call-rest-api/batch.md):
 * phase 1 as sequential batches (commands run in order, later ones may use `$result[…]` of earlier ones: a child type
 * names its parent's new entityTypeId, the new pipeline is read right after its type); phase 2 — calls that depend only
 * on what phase 1 created and not on each other — 50 per batch.
 */
export const BATCH_LIMIT = 50;

export interface OpFailure {
  op: Operation;
  error: B24Error;
}

export interface ExecuteResult {
  applied: Operation[];
  failed: OpFailure[];
}

function asB24Error(err: unknown, method: string): B24Error {
  return err instanceof B24Error ? err : new B24Error({ code: 'CLIENT_ERROR', kind: 'invalid_request', method, description: err instanceof Error ? err.message : String(err), cause: err });
}

/** Phase 1: createType groups first (their references must share one batch), then unbinds, then binds. */
export async function executeSequential(client: B24Client, ops: Operation[], model: Model, onChunk?: (r: ExecuteResult) => Promise<void> | void): Promise<ExecuteResult> {
  const groups = ops.map((op) => ({ op, commands: [[op.batchKey ?? `o${ops.indexOf(op)}`, op.call], ...(op.followUps ?? []).map((f) => [f.key, f.call])] as Array<[string, B24Call]> }));
  const typeGroups = groups.filter((g) => g.op.kind === 'createType');
  const rank = (op: Operation) => (op.kind === 'createType' ? 0 : op.kind.startsWith('unbind') || op.kind.startsWith('delete') ? 1 : 2);
  const ordered = [...groups].sort((a, b) => rank(a.op) - rank(b.op) || ops.indexOf(a.op) - ops.indexOf(b.op));
  const typeCommands = typeGroups.reduce((n, g) => n + g.commands.length, 0);
  if (typeCommands > BATCH_LIMIT) throw new Error(`the manifest creates ${typeGroups.length} smart processes at once (${typeCommands} commands); at most ${BATCH_LIMIT} fit in one batch`);

  const chunks: Array<typeof ordered> = [];
  let current: typeof ordered = [];
  let size = 0;
  for (const g of ordered) {
    // Types come first and fit together (checked above), so references between them stay in one batch.
    if (size + g.commands.length > BATCH_LIMIT) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(g);
    size += g.commands.length;
  }
  if (current.length) chunks.push(current);

  const total: ExecuteResult = { applied: [], failed: [] };
  for (const chunk of chunks) {
    const part: ExecuteResult = { applied: [], failed: [] };
    let result: B24BatchResult | null = null;
    try {
      result = await client.batch(Object.fromEntries(chunk.flatMap((g) => g.commands)), { halt: false });
    } catch (err) {
      for (const g of chunk) part.failed.push({ op: g.op, error: asB24Error(err, g.op.call.method) });
    }
    if (result) {
      for (const g of chunk) {
        const [mainKey] = g.commands[0]!;
        const item = result.byKey[mainKey];
        if (!item?.ok) {
          part.failed.push({ op: g.op, error: item?.error ?? new B24Error({ code: 'NO_ANSWER', kind: 'skipped', method: g.op.call.method }) });
          continue;
        }
        const followUps = Object.fromEntries(g.commands.slice(1).map(([k]) => [k, result!.byKey[k]?.ok ? result!.byKey[k]!.result : undefined]));
        g.op.apply(model, { result: item.result, followUps });
        part.applied.push(g.op);
      }
    }
    total.applied.push(...part.applied);
    total.failed.push(...part.failed);
    await onChunk?.(part);
  }
  return total;
}

/** Phase 2: independent calls, one batch of up to 50 per request; progress is reported after each request. */
export async function executeIndependent(client: B24Client, ops: Operation[], model: Model, onChunk?: (r: ExecuteResult) => Promise<void> | void): Promise<ExecuteResult> {
  const total: ExecuteResult = { applied: [], failed: [] };
  for (let i = 0; i < ops.length; i += BATCH_LIMIT) {
    const chunk = ops.slice(i, i + BATCH_LIMIT);
    const part: ExecuteResult = { applied: [], failed: [] };
    const outcomes = await client.callMany(chunk.map((op) => op.call), { concurrency: 1 });
    outcomes.forEach((o, k) => {
      const op = chunk[k]!;
      if (o.ok) {
        op.apply(model, { result: o.result, followUps: {} });
        part.applied.push(op);
      } else part.failed.push({ op, error: o.error });
    });
    total.applied.push(...part.applied);
    total.failed.push(...part.failed);
    await onChunk?.(part);
  }
  return total;
}
