import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

/**
 * Carts (the dealer's active cart per legal entity, saved carts) and the order index: what DealerHub knows of every
 * order it submitted to Bitrix24 (the Orders smart process is the system of record, DESIGN.md §2), its lines with the
 * price breakdown, the manager's proposed changes, reserve / waiting list, and the timeline of events.
 *
 * Quantities and money are decimal strings (exact on both dialects); `total` is sorted with CAST where needed.
 */
export const cartsOrders: Migration = {
  name: '20261123-0800-carts-orders',
  async up({ queryInterface }) {
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true });
    const int = (allowNull = false) => ({ type: DataTypes.INTEGER, allowNull });
    const str = (n: number, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
    const time = (allowNull = false) => ({ type: DataTypes.DATE, allowNull });

    await queryInterface.createTable('carts', {
      id: id(),
      portal_id: int(),
      dealer_id: int(),
      user_id: int(),
      company_id: int(true),
      /** active: the user's current cart for this legal entity; saved: a named cart to load later. */
      kind: str(8, false),
      /** `dealer:user:company` for the active cart, NULL for saved ones: one active cart per user and legal entity. */
      active_key: str(64),
      name: str(200),
      note: { type: DataTypes.TEXT, allowNull: true },
      /** Bumped on every change: part of the checkout's idempotency key when the client sends none. */
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_at: time(),
      updated_at: time(),
    });
    await queryInterface.addIndex('carts', ['portal_id', 'active_key'], { name: 'carts_active', unique: true });
    await queryInterface.addIndex('carts', ['portal_id', 'dealer_id', 'user_id', 'kind'], { name: 'carts_owner' });

    await queryInterface.createTable('cart_lines', {
      id: id(),
      portal_id: int(),
      cart_id: int(),
      product_id: int(),
      sku: str(100),
      qty: str(40, false),
      /** base: base units; pack: packs of the product's pack ratio. */
      unit: str(8, false),
      position: int(),
      note: str(500),
      created_at: time(),
      updated_at: time(),
    });
    await queryInterface.addIndex('cart_lines', ['cart_id', 'product_id', 'unit'], { name: 'cart_lines_product', unique: true });

    await queryInterface.createTable('order_counters', {
      portal_id: { type: DataTypes.INTEGER, primaryKey: true },
      last_number: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    });

    await queryInterface.createTable('orders', {
      id: id(),
      portal_id: int(),
      dealer_id: int(),
      dealer_item_id: int(),
      b24_item_id: int(true),
      external_id: str(36, false),
      number: str(20, false),
      /** The client's request id (or cart:revision): a retried submit finds the first order. */
      request_key: str(100),
      company_id: int(true),
      /** The dealer user the order is for (submittedBy in Bitrix24). */
      user_id: int(),
      /** Who pressed the button: the same user, or a manager acting as the dealer. */
      actor_user_id: int(),
      source: str(16, false),
      /** submitting: allocated, the Bitrix24 item not confirmed yet; submitted; failed: Bitrix24 refused it. */
      status: str(16, false),
      stage_key: str(32, false),
      currency: str(3, false),
      total: str(40, false),
      delivery_method: str(32, false),
      delivery_address: str(500),
      desired_date: str(10),
      comment: { type: DataTypes.TEXT, allowNull: true },
      warehouse: str(200),
      erp_number: str(100),
      erp_status: str(255),
      erp_ref: str(100),
      erp_error: { type: DataTypes.TEXT, allowNull: true },
      /** queued / posted / created / rejected, while or after the hand-off to the ERP. */
      erp_handoff: str(16),
      changes_pending: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      credit_check: str(255),
      last_error: { type: DataTypes.TEXT, allowNull: true },
      created_at: time(),
      updated_at: time(),
      submitted_at: time(true),
      stage_changed_at: time(true),
    });
    await queryInterface.addIndex('orders', ['portal_id', 'external_id'], { name: 'orders_external', unique: true });
    await queryInterface.addIndex('orders', ['portal_id', 'number'], { name: 'orders_number', unique: true });
    await queryInterface.addIndex('orders', ['portal_id', 'request_key'], { name: 'orders_request', unique: true });
    await queryInterface.addIndex('orders', ['portal_id', 'b24_item_id'], { name: 'orders_item' });
    await queryInterface.addIndex('orders', ['portal_id', 'dealer_id', 'created_at'], { name: 'orders_dealer' });

    await queryInterface.createTable('order_lines', {
      id: id(),
      portal_id: int(),
      order_id: int(),
      line_no: int(),
      product_id: int(true),
      product_erp_id: str(100),
      sku: str(100),
      name: str(500, false),
      unit_name: str(50),
      /** As the dealer entered it (qty in `unit`) and in base units (what is priced and sent). */
      qty: str(40, false),
      unit: str(8, false),
      pack_ratio: str(40),
      base_qty: str(40, false),
      base_price: str(40, false),
      price: str(40, false),
      discount_percent: str(40, false),
      line_total: str(40, false),
      breakdown: { type: DataTypes.TEXT, allowNull: true },
      /** The manager's proposed change of this line (JSON), until the dealer agrees or declines. */
      proposed: { type: DataTypes.TEXT, allowNull: true },
      reserved_qty: str(40),
      waiting_qty: str(40),
      waiting_notified_at: time(true),
      created_at: time(),
      updated_at: time(),
    });
    await queryInterface.addIndex('order_lines', ['order_id', 'line_no'], { name: 'order_lines_order' });
    await queryInterface.addIndex('order_lines', ['portal_id', 'product_id'], { name: 'order_lines_product' });

    await queryInterface.createTable('order_events', {
      id: id(),
      portal_id: int(),
      order_id: int(),
      kind: str(32, false),
      stage_key: str(32),
      message: { type: DataTypes.TEXT, allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: true },
      actor_user_id: int(true),
      on_behalf_of_user_id: int(true),
      created_at: time(),
    });
    await queryInterface.addIndex('order_events', ['order_id', 'id'], { name: 'order_events_order' });
  },
  async down({ queryInterface }) {
    for (const t of ['order_events', 'order_lines', 'orders', 'order_counters', 'cart_lines', 'carts']) await queryInterface.dropTable(t);
  },
};
