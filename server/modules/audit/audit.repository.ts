import { QueryTypes, type Sequelize } from 'sequelize';

export interface AuditEntry {
  portalId: number | null;
  /** Who did it: `portal`, `user:12`, `manager:7`, `system:sync` … */
  actor: string;
  /** Set when a manager acts as a dealer user ("act as dealer"). */
  onBehalfOf?: string | null;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  createdAt: Date;
}

export function createAuditRepository(sequelize: Sequelize) {
  return {
    async record(entry: AuditEntry, now = new Date()): Promise<void> {
      await sequelize.getQueryInterface().bulkInsert('audit_log', [
        {
          portal_id: entry.portalId,
          actor: entry.actor,
          on_behalf_of: entry.onBehalfOf ?? null,
          action: entry.action,
          subject: entry.subject ?? null,
          details: entry.details ? JSON.stringify(entry.details) : null,
          created_at: now,
        },
      ]);
    },

    async listForPortal(portalId: number, limit = 50): Promise<AuditRecord[]> {
      const rows = await sequelize.query<Record<string, unknown>>(
        'SELECT id, portal_id, actor, on_behalf_of, action, subject, details, created_at FROM audit_log WHERE portal_id = :portalId ORDER BY id DESC LIMIT :limit',
        { replacements: { portalId, limit }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({
        id: Number(r.id),
        portalId: r.portal_id === null ? null : Number(r.portal_id),
        actor: String(r.actor),
        onBehalfOf: (r.on_behalf_of as string | null) ?? null,
        action: String(r.action),
        subject: (r.subject as string | null) ?? null,
        details: r.details ? (JSON.parse(String(r.details)) as Record<string, unknown>) : null,
        createdAt: new Date(r.created_at as string),
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
