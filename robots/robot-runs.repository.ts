import { createHash } from 'node:crypto';
import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';

export type RobotRunStatus = 'running' | 'handled' | 'sent' | 'done' | 'send_failed';

export interface RobotRunRow {
  id: number;
  portalId: number;
  tokenHash: string;
  code: string;
  status: RobotRunStatus;
  result: string | null;
  returnValues: Record<string, unknown> | null;
  logMessage: string | null;
  sentAt: Date | null;
}

export const eventTokenHash = (eventToken: string): string => createHash('sha256').update(eventToken).digest('base64url');

type Row = Record<string, unknown>;
const toRun = (r: Row): RobotRunRow => ({
  id: Number(r.id),
  portalId: Number(r.portal_id),
  tokenHash: String(r.token_hash),
  code: String(r.code),
  status: String(r.status) as RobotRunStatus,
  result: (r.result as string | null) ?? null,
  returnValues: r.return_values ? (JSON.parse(String(r.return_values)) as Record<string, unknown>) : null,
  logMessage: (r.log_message as string | null) ?? null,
  sentAt: r.sent_at ? new Date(r.sent_at as string) : null,
});

/** The only code touching robot_runs (migration 20261123-0601): one row per (portal, event_token). */
export function createRobotRunsRepository(sequelize: Sequelize) {
  const find = async (portalId: number, tokenHash: string) =>
    (await sequelize.query<Row>('SELECT * FROM robot_runs WHERE portal_id = :portalId AND token_hash = :tokenHash', { replacements: { portalId, tokenHash }, type: QueryTypes.SELECT })).map(toRun)[0] ?? null;

  return {
    find,

    /** The run of this call, created on first sight. */
    async open(input: { portalId: number; tokenHash: string; code: string; workflowId: string | null; documentId: string | null }, now = new Date()): Promise<RobotRunRow> {
      const existing = await find(input.portalId, input.tokenHash);
      if (existing) return existing;
      try {
        await sequelize.getQueryInterface().bulkInsert('robot_runs', [
          { portal_id: input.portalId, token_hash: input.tokenHash, code: input.code, workflow_id: input.workflowId, document_id: input.documentId, status: 'running', created_at: now, updated_at: now },
        ]);
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) throw err;
      }
      return (await find(input.portalId, input.tokenHash))!;
    },

    async markHandled(id: number, result: string, returnValues: Record<string, unknown>, logMessage: string, now = new Date()): Promise<void> {
      await sequelize.getQueryInterface().bulkUpdate('robot_runs', { status: 'handled', result, return_values: JSON.stringify(returnValues), log_message: logMessage, updated_at: now }, { id });
    },

    async markFinished(id: number, status: Extract<RobotRunStatus, 'sent' | 'done' | 'send_failed'>, now = new Date()): Promise<void> {
      await sequelize.getQueryInterface().bulkUpdate('robot_runs', { status, updated_at: now, ...(status === 'sent' ? { sent_at: now } : {}) }, { id });
    },

    async listForPortal(portalId: number, limit = 100): Promise<RobotRunRow[]> {
      return (await sequelize.query<Row>('SELECT * FROM robot_runs WHERE portal_id = :portalId ORDER BY id DESC LIMIT :limit', { replacements: { portalId, limit }, type: QueryTypes.SELECT })).map(toRun);
    },
  };
}

export type RobotRunsRepository = ReturnType<typeof createRobotRunsRepository>;
