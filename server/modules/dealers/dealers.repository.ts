import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { toDecimal, type DecimalString } from '../../lib/decimal.js';
import type { Dealer, DealerLegalEntity, DealerStage, DealerUpsert, DealerUser, DealerUserRole } from './dealer.types.js';

type Row = Record<string, unknown>;
const json = <T>(v: unknown, fallback: T): T => {
  try {
    return v ? (JSON.parse(String(v)) as T) : fallback;
  } catch {
    return fallback;
  }
};
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown) => v === true || v === 1 || v === '1';
const money = (v: unknown): DecimalString | null => (v === null || v === undefined ? null : toDecimal(v as string, 2));

function toDealer(r: Row): Dealer {
  return {
    id: Number(r.id),
    portalId: Number(r.portal_id),
    b24ItemId: Number(r.b24_item_id),
    title: String(r.title),
    stage: String(r.stage) as DealerStage,
    companyId: num(r.company_id),
    erpCustomerId: (r.erp_customer_id as string | null) ?? null,
    priceTypeErpId: (r.price_type_erp_id as string | null) ?? null,
    dealerGroup: (r.dealer_group as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    region: (r.region as string | null) ?? null,
    creditLimit: money(r.credit_limit),
    currency: String(r.currency),
    paymentTermDays: num(r.payment_term_days),
    blockOverLimit: bool(r.block_over_limit),
    blockOverdueDays: num(r.block_overdue_days),
    managerUserId: num(r.manager_user_id),
    syncedAt: new Date(r.synced_at as string),
  };
}

function toUser(r: Row): DealerUser {
  return {
    id: Number(r.id),
    portalId: Number(r.portal_id),
    dealerId: Number(r.dealer_id),
    b24UserId: Number(r.b24_user_id),
    contactId: num(r.contact_id),
    name: String(r.name),
    email: (r.email as string | null) ?? null,
    role: String(r.role) as DealerUserRole,
    grants: json<string[]>(r.grants, []),
    legalEntityIds: json<number[]>(r.legal_entity_ids, []),
    notificationSettings: json<Record<string, boolean>>(r.notification_settings, {}),
    active: bool(r.active),
  };
}

function toLegalEntity(r: Row): DealerLegalEntity {
  return {
    id: Number(r.id),
    dealerId: Number(r.dealer_id),
    companyId: Number(r.company_id),
    name: String(r.name),
    inn: (r.inn as string | null) ?? null,
    kpp: (r.kpp as string | null) ?? null,
    erpCustomerId: (r.erp_customer_id as string | null) ?? null,
    isMain: bool(r.is_main),
  };
}

/**
 * The only code that touches dealers, dealer_legal_entities and dealer_users. Every method takes the portal id, so
 * no query can see another portal's dealers.
 */
export function createDealersRepository(sequelize: Sequelize) {
  const select = <T>(sql: string, replacements: Record<string, unknown>, map: (r: Row) => T, transaction?: Transaction) =>
    sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT, transaction }).then((rows) => rows.map(map));
  // Writes of dealers and dealer users made through this repository; whoever keeps what it read (the API guard's
  // short cache) compares this number to drop it the moment this process changes a dealer or a user.
  let writes = 0;
  const counted = <T>(write: Promise<T>): Promise<T> => write.finally(() => void writes++);

  return {
    /** How many dealer / dealer-user writes this repository has made (see `writes` above). */
    writeCount(): number {
      return writes;
    },

    async findById(portalId: number, id: number): Promise<Dealer | null> {
      return (await select('SELECT * FROM dealers WHERE portal_id = :portalId AND id = :id', { portalId, id }, toDealer))[0] ?? null;
    },

    async findByItemId(portalId: number, b24ItemId: number): Promise<Dealer | null> {
      return (await select('SELECT * FROM dealers WHERE portal_id = :portalId AND b24_item_id = :b24ItemId', { portalId, b24ItemId }, toDealer))[0] ?? null;
    },

    /** Dealers whose main company or one of whose legal entities is this CRM company. */
    async findByCompanyId(portalId: number, companyId: number): Promise<Dealer[]> {
      return select(
        `SELECT DISTINCT d.* FROM dealers d LEFT JOIN dealer_legal_entities e ON e.dealer_id = d.id AND e.portal_id = d.portal_id
         WHERE d.portal_id = :portalId AND (d.company_id = :companyId OR e.company_id = :companyId) ORDER BY d.id`,
        { portalId, companyId },
        toDealer,
      );
    },

    async list(portalId: number, opts: { offset?: number; limit?: number; q?: string } = {}): Promise<{ items: Dealer[]; total: number }> {
      const where = opts.q ? 'portal_id = :portalId AND title LIKE :q' : 'portal_id = :portalId';
      const params = { portalId, q: `%${opts.q ?? ''}%`, limit: Math.min(500, opts.limit ?? 50), offset: opts.offset ?? 0 };
      const items = await select(`SELECT * FROM dealers WHERE ${where} ORDER BY title, id LIMIT :limit OFFSET :offset`, params, toDealer);
      const [count] = await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM dealers WHERE ${where}`, { replacements: params, type: QueryTypes.SELECT });
      return { items, total: Number(count?.n ?? 0) };
    },

    /** Creates or updates the copy of a Dealers item; returns the stored dealer. */
    async upsertFromItem(d: DealerUpsert, now = new Date()): Promise<Dealer> {
      return counted(sequelize.transaction(async (transaction) => {
        const values = {
          portal_id: d.portalId,
          b24_item_id: d.b24ItemId,
          title: d.title,
          stage: d.stage,
          company_id: d.companyId,
          erp_customer_id: d.erpCustomerId,
          price_type_erp_id: d.priceTypeErpId,
          dealer_group: d.dealerGroup,
          city: d.city,
          region: d.region,
          credit_limit: d.creditLimit,
          currency: d.currency,
          payment_term_days: d.paymentTermDays,
          block_over_limit: d.blockOverLimit,
          block_overdue_days: d.blockOverdueDays,
          manager_user_id: d.managerUserId,
          synced_at: now,
          updated_at: now,
        };
        const existing = (await select('SELECT id FROM dealers WHERE portal_id = :portalId AND b24_item_id = :b24ItemId', { portalId: d.portalId, b24ItemId: d.b24ItemId }, (r) => Number(r.id), transaction))[0];
        const qi = sequelize.getQueryInterface();
        if (existing) await qi.bulkUpdate('dealers', values, { id: existing }, { transaction });
        else await qi.bulkInsert('dealers', [{ ...values, created_at: now }], { transaction });
        return (await select('SELECT * FROM dealers WHERE portal_id = :portalId AND b24_item_id = :b24ItemId', { portalId: d.portalId, b24ItemId: d.b24ItemId }, toDealer, transaction))[0]!;
      }));
    },

    async removeByItemId(portalId: number, b24ItemId: number): Promise<void> {
      await counted(sequelize.transaction(async (transaction) => {
        const id = (await select('SELECT id FROM dealers WHERE portal_id = :portalId AND b24_item_id = :b24ItemId', { portalId, b24ItemId }, (r) => Number(r.id), transaction))[0];
        if (!id) return;
        for (const table of ['dealer_users', 'dealer_legal_entities']) await sequelize.query(`DELETE FROM ${table} WHERE portal_id = :portalId AND dealer_id = :id`, { replacements: { portalId, id }, transaction });
        await sequelize.query('DELETE FROM dealers WHERE portal_id = :portalId AND id = :id', { replacements: { portalId, id }, transaction });
      }));
    },

    async legalEntities(portalId: number, dealerId: number): Promise<DealerLegalEntity[]> {
      return select('SELECT * FROM dealer_legal_entities WHERE portal_id = :portalId AND dealer_id = :dealerId ORDER BY is_main DESC, name', { portalId, dealerId }, toLegalEntity);
    },

    /** Replaces the dealer's legal entities with the given set (main company first). */
    async replaceLegalEntities(portalId: number, dealerId: number, entities: Array<Omit<DealerLegalEntity, 'id' | 'dealerId'>>, now = new Date()): Promise<DealerLegalEntity[]> {
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('DELETE FROM dealer_legal_entities WHERE portal_id = :portalId AND dealer_id = :dealerId', { replacements: { portalId, dealerId }, transaction });
        if (entities.length === 0) return;
        await sequelize.getQueryInterface().bulkInsert(
          'dealer_legal_entities',
          entities.map((e) => ({ portal_id: portalId, dealer_id: dealerId, company_id: e.companyId, name: e.name, inn: e.inn, kpp: e.kpp, erp_customer_id: e.erpCustomerId, is_main: e.isMain, updated_at: now })),
          { transaction },
        );
      });
      return this.legalEntities(portalId, dealerId);
    },

    async findUser(portalId: number, b24UserId: number): Promise<DealerUser | null> {
      return (await select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND b24_user_id = :b24UserId', { portalId, b24UserId }, toUser))[0] ?? null;
    },

    async listUsers(portalId: number, dealerId: number): Promise<DealerUser[]> {
      return select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND dealer_id = :dealerId ORDER BY name, id', { portalId, dealerId }, toUser);
    },

    /** Links a portal user to a dealer; the first user of a dealer becomes its head unless a role is given. */
    async upsertUser(
      portalId: number,
      u: { dealerId: number; b24UserId: number; contactId?: number | null; name: string; email?: string | null; role?: DealerUserRole },
      now = new Date(),
    ): Promise<DealerUser> {
      return counted(sequelize.transaction(async (transaction) => {
        const existing = (await select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND b24_user_id = :b24UserId', { portalId, b24UserId: u.b24UserId }, toUser, transaction))[0];
        const qi = sequelize.getQueryInterface();
        if (existing) {
          await qi.bulkUpdate(
            'dealer_users',
            { dealer_id: u.dealerId, contact_id: u.contactId ?? existing.contactId, name: u.name, email: u.email ?? existing.email, ...(u.role ? { role: u.role } : {}), active: true, updated_at: now },
            { id: existing.id },
            { transaction },
          );
        } else {
          const [first] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dealer_users WHERE portal_id = :portalId AND dealer_id = :dealerId', {
            replacements: { portalId, dealerId: u.dealerId },
            type: QueryTypes.SELECT,
            transaction,
          });
          const role = u.role ?? (Number(first?.n ?? 0) === 0 ? 'dealer_head' : 'dealer_buyer');
          await qi.bulkInsert(
            'dealer_users',
            [{ portal_id: portalId, dealer_id: u.dealerId, b24_user_id: u.b24UserId, contact_id: u.contactId ?? null, name: u.name, email: u.email ?? null, role, grants: '[]', legal_entity_ids: '[]', notification_settings: '{}', active: true, created_at: now, updated_at: now }],
            { transaction },
          );
        }
        return (await select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND b24_user_id = :b24UserId', { portalId, b24UserId: u.b24UserId }, toUser, transaction))[0]!;
      }));
    },

    async findUserById(portalId: number, id: number): Promise<DealerUser | null> {
      return (await select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND id = :id', { portalId, id }, toUser))[0] ?? null;
    },

    /** One page of a dealer's users (name order) and how many there are. */
    async pageUsers(portalId: number, dealerId: number, opts: { offset?: number; limit?: number } = {}): Promise<{ items: DealerUser[]; total: number }> {
      const params = { portalId, dealerId, limit: Math.min(200, Math.max(1, opts.limit ?? 50)), offset: Math.max(0, opts.offset ?? 0) };
      const items = await select('SELECT * FROM dealer_users WHERE portal_id = :portalId AND dealer_id = :dealerId ORDER BY name, id LIMIT :limit OFFSET :offset', params, toUser);
      const [count] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dealer_users WHERE portal_id = :portalId AND dealer_id = :dealerId', { replacements: params, type: QueryTypes.SELECT });
      return { items, total: Number(count?.n ?? 0) };
    },

    /** The Bitrix24 item ids of every dealer of a portal (the full sync removes those the portal no longer has). */
    async listItemIds(portalId: number): Promise<number[]> {
      return select('SELECT b24_item_id FROM dealers WHERE portal_id = :portalId ORDER BY b24_item_id', { portalId }, (r) => Number(r.b24_item_id));
    },

    async findByItemIds(portalId: number, b24ItemIds: number[]): Promise<Dealer[]> {
      if (b24ItemIds.length === 0) return [];
      return select('SELECT * FROM dealers WHERE portal_id = :portalId AND b24_item_id IN (:ids) ORDER BY id', { portalId, ids: b24ItemIds }, toDealer);
    },

    async updateUserAccess(portalId: number, id: number, patch: { role?: DealerUserRole; grants?: string[]; legalEntityIds?: number[]; active?: boolean; notificationSettings?: Record<string, boolean> }): Promise<void> {
      const values: Record<string, unknown> = { updated_at: new Date() };
      if (patch.role) values.role = patch.role;
      if (patch.grants) values.grants = JSON.stringify(patch.grants);
      if (patch.legalEntityIds) values.legal_entity_ids = JSON.stringify(patch.legalEntityIds);
      if (patch.active !== undefined) values.active = patch.active;
      if (patch.notificationSettings) values.notification_settings = JSON.stringify(patch.notificationSettings);
      await counted(sequelize.getQueryInterface().bulkUpdate('dealer_users', values, { id, portal_id: portalId }));
    },
  };
}

export type DealersRepository = ReturnType<typeof createDealersRepository>;
