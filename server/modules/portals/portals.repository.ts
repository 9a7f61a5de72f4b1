import type { Sequelize, Transaction } from 'sequelize';
import { safeEqual, seal, unseal } from '../../lib/crypto.js';
import { portalModel, type PortalRow } from './portal.model.js';

export type PortalStatus = 'installed' | 'uninstalled' | 'reinstall_required';

/** A tenant as the rest of the app sees it: no sealed secrets, settings parsed. */
export interface Portal {
  id: number;
  memberId: string;
  domain: string;
  protocol: 'http' | 'https';
  serverEndpoint: string | null;
  clientEndpoint: string | null;
  scope: string[];
  appStatus: string | null;
  status: PortalStatus;
  installFinished: boolean;
  appVersion: number | null;
  manifestVersion: number | null;
  languageId: string | null;
  settings: Record<string, unknown>;
  tokenExpiresAt: Date | null;
  tokenUserId: number | null;
  hasApplicationToken: boolean;
  installedAt: Date | null;
  uninstalledAt: Date | null;
}

export interface PortalTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  userId?: number | null;
}

export interface PortalUpsert {
  memberId: string;
  domain: string;
  protocol: 'http' | 'https';
  serverEndpoint?: string | null;
  clientEndpoint?: string | null;
  scope?: string[];
  appStatus?: string | null;
  appVersion?: number | null;
  languageId?: string | null;
  applicationToken?: string | null;
  tokens?: PortalTokens | null;
}

function toPortal(row: PortalRow): Portal {
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(row.settings || '{}') as Record<string, unknown>;
  } catch {
    settings = {};
  }
  return {
    id: row.id,
    memberId: row.member_id,
    domain: row.domain,
    protocol: row.protocol === 'http' ? 'http' : 'https',
    serverEndpoint: row.server_endpoint,
    clientEndpoint: row.client_endpoint,
    scope: row.scope ? row.scope.split(',').filter(Boolean) : [],
    appStatus: row.app_status,
    status: row.status as PortalStatus,
    installFinished: Boolean(row.install_finished),
    appVersion: row.app_version,
    manifestVersion: row.manifest_version,
    languageId: row.language_id,
    settings,
    tokenExpiresAt: row.token_expires_at ? new Date(row.token_expires_at) : null,
    tokenUserId: row.token_user_id,
    hasApplicationToken: Boolean(row.application_token_sealed),
    installedAt: row.installed_at ? new Date(row.installed_at) : null,
    uninstalledAt: row.uninstalled_at ? new Date(row.uninstalled_at) : null,
  };
}

/** The only code that touches the portals table (STYLE.md §1). Secrets go in sealed and come out on request only. */
export function createPortalsRepository(sequelize: Sequelize, secretKey: Buffer) {
  const Portal = portalModel(sequelize);
  // Every write of a portal row through the model, counted for whoever keeps what it read (the session guard's short
  // cache drops it the moment this process changes a portal). A write inside a transaction counts again at commit, so
  // a read made between the write and the commit is not kept either.
  let writes = 0;
  const bump = (options?: { transaction?: Transaction | null }) => {
    writes++;
    options?.transaction?.afterCommit(() => void writes++);
  };
  Portal.addHook('afterCreate', (_row, options) => bump(options));
  Portal.addHook('afterUpdate', (_row, options) => bump(options));
  Portal.addHook('afterDestroy', (_row, options) => bump(options));
  Portal.addHook('afterBulkUpdate', (options) => bump(options as { transaction?: Transaction | null }));
  Portal.addHook('afterBulkDestroy', (options) => bump(options as { transaction?: Transaction | null }));

  async function rowByMemberId(memberId: string, transaction?: Transaction) {
    return Portal.findOne({ where: { member_id: memberId }, transaction });
  }
  async function plainById(id: number): Promise<PortalRow | null> {
    const row = await Portal.findByPk(id);
    return row ? (row.get({ plain: true }) as PortalRow) : null;
  }

  return {
    /** How many portal writes this process has made (see `writes` above). */
    writeCount(): number {
      return writes;
    },

    async findByMemberId(memberId: string): Promise<Portal | null> {
      const row = await rowByMemberId(memberId);
      return row ? toPortal(row.get({ plain: true })) : null;
    },

    async findById(id: number): Promise<Portal | null> {
      const row = await Portal.findByPk(id);
      return row ? toPortal(row.get({ plain: true })) : null;
    },

    async list(): Promise<Portal[]> {
      const rows = await Portal.findAll({ order: [['id', 'ASC']] });
      return rows.map((r) => toPortal(r.get({ plain: true })));
    },

    /** Creates or updates the portal by member_id; returns it and whether it was new. Idempotent for equal input. */
    async upsertInstalled(input: PortalUpsert, now = new Date()): Promise<{ portal: Portal; created: boolean }> {
      return sequelize.transaction(async (transaction) => {
        const existing = await rowByMemberId(input.memberId, transaction);
        const values: Partial<PortalRow> = {
          member_id: input.memberId,
          domain: input.domain,
          protocol: input.protocol,
          status: 'installed',
          uninstalled_at: null,
        };
        if (input.serverEndpoint !== undefined) values.server_endpoint = input.serverEndpoint;
        if (input.clientEndpoint !== undefined) values.client_endpoint = input.clientEndpoint;
        if (input.scope !== undefined) values.scope = input.scope.join(',');
        if (input.appStatus !== undefined) values.app_status = input.appStatus;
        if (input.appVersion !== undefined) values.app_version = input.appVersion;
        if (input.languageId !== undefined) values.language_id = input.languageId;
        if (input.applicationToken) values.application_token_sealed = seal(secretKey, input.applicationToken);
        if (input.tokens) {
          values.access_token_sealed = seal(secretKey, input.tokens.accessToken);
          values.refresh_token_sealed = seal(secretKey, input.tokens.refreshToken);
          values.token_expires_at = input.tokens.expiresAt;
          if (input.tokens.userId !== undefined) values.token_user_id = input.tokens.userId;
        }
        if (existing) {
          const current = existing.get({ plain: true }) as PortalRow;
          if (current.status !== 'installed' || !current.installed_at) values.installed_at = now;
          await existing.update(values, { transaction });
          return { portal: toPortal(existing.get({ plain: true })), created: false };
        }
        const row = await Portal.create({ ...values, installed_at: now, settings: '{}' }, { transaction });
        return { portal: toPortal(row.get({ plain: true })), created: true };
      });
    },

    /** Constant-time check of an inbound application_token against the stored one (safe-event-handlers.md). */
    async applicationTokenMatches(memberId: string, presented: string | undefined | null): Promise<boolean> {
      const row = await rowByMemberId(memberId);
      const stored = (row?.get({ plain: true }) as PortalRow | undefined)?.application_token_sealed;
      if (!stored) {
        safeEqual('x', presented ?? ''); // same work either way: no timing hint that the portal is unknown
        return false;
      }
      return safeEqual(unseal(secretKey, stored), presented);
    },

    async getTokens(portalId: number): Promise<PortalTokens | null> {
      const row = await plainById(portalId);
      if (!row?.access_token_sealed || !row.refresh_token_sealed) return null;
      return {
        accessToken: unseal(secretKey, row.access_token_sealed),
        refreshToken: unseal(secretKey, row.refresh_token_sealed),
        expiresAt: new Date(row.token_expires_at ?? 0),
        userId: row.token_user_id,
      };
    },

    async saveTokens(portalId: number, tokens: PortalTokens & { clientEndpoint?: string; serverEndpoint?: string; scope?: string[] }): Promise<void> {
      const values: Partial<PortalRow> = {
        access_token_sealed: seal(secretKey, tokens.accessToken),
        refresh_token_sealed: seal(secretKey, tokens.refreshToken),
        token_expires_at: tokens.expiresAt,
      };
      if (tokens.userId !== undefined) values.token_user_id = tokens.userId;
      if (tokens.clientEndpoint) values.client_endpoint = tokens.clientEndpoint;
      if (tokens.serverEndpoint) values.server_endpoint = tokens.serverEndpoint;
      if (tokens.scope) values.scope = tokens.scope.join(',');
      await Portal.update(values, { where: { id: portalId } });
    },

    async setStatus(portalId: number, status: PortalStatus): Promise<void> {
      await Portal.update({ status }, { where: { id: portalId } });
    },

    async markInstallFinished(portalId: number): Promise<void> {
      await Portal.update({ install_finished: true }, { where: { id: portalId } });
    },

    async setVersions(portalId: number, v: { appVersion?: number | null; manifestVersion?: number | null }): Promise<void> {
      const values: Partial<PortalRow> = {};
      if (v.appVersion !== undefined) values.app_version = v.appVersion;
      if (v.manifestVersion !== undefined) values.manifest_version = v.manifestVersion;
      await Portal.update(values, { where: { id: portalId } });
    },

    /** Merges a patch into the top level of the portal's settings JSON (the installer records what it created here). */
    async patchSettings(portalId: number, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
      return this.updateSettings(portalId, (current) => ({ ...current, ...patch }));
    },

    /**
     * Read-modify-write of the settings under a row lock, so two writers of different nested keys never lose each
     * other's change (a plain read then patch would).
     */
    async updateSettings(portalId: number, update: (current: Record<string, unknown>) => Record<string, unknown>): Promise<Record<string, unknown>> {
      return sequelize.transaction(async (transaction) => {
        const row = await Portal.findByPk(portalId, { transaction, lock: transaction.LOCK.UPDATE });
        if (!row) throw new Error(`portal ${portalId} not found`);
        const next = update(JSON.parse((row.get({ plain: true }) as PortalRow).settings || '{}') as Record<string, unknown>);
        await row.update({ settings: JSON.stringify(next) }, { transaction });
        return next;
      });
    },

    /** Uninstall: tokens are dead once the app is removed, so they are wiped; the tenant row stays for audit. */
    async markUninstalled(portalId: number, now = new Date()): Promise<void> {
      await Portal.update(
        {
          status: 'uninstalled',
          uninstalled_at: now,
          install_finished: false,
          access_token_sealed: null,
          refresh_token_sealed: null,
          application_token_sealed: null,
          token_expires_at: null,
        },
        { where: { id: portalId } },
      );
    },

    async resetSettings(portalId: number): Promise<void> {
      await Portal.update({ settings: '{}', manifest_version: null }, { where: { id: portalId } });
    },
  };
}

export type PortalsRepository = ReturnType<typeof createPortalsRepository>;
