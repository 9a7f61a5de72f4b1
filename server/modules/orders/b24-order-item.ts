import { isB24Error, type B24Client } from '../../bitrix24/index.js';
import { AppError } from '../../http/app-error.js';
import { enumIdOf, loadEnumOptions, productRowOwnerType, type InstalledSmartProcess } from '../dealers/index.js';
import type { OrderLineRow, OrderRow } from './orders.repository.js';

/**
 * The Orders smart-process item as DealerHub writes it: fields (api-reference/crm/universal/item/crm-item-add.md),
 * product rows (api-reference/crm/universal/product-rows/crm-item-productrow-set.md, ownerType `T<hex eTI>`), and
 * the one batch that creates both (settings/how-to-call-rest-api/batch.md, `$result[add][item][id]`).
 */

export interface OrderItemContext {
  client: B24Client;
  portalId: number;
  orders: InstalledSmartProcess;
  dealersEntityTypeId: number;
}

const field = (sp: InstalledSmartProcess, key: string): string => {
  const f = sp.fields[key]?.restName;
  if (!f) throw new AppError('UNAVAILABLE', `The Orders field "${key}" is not installed on this portal; run the installer`);
  return f;
};

export const orderTitle = (o: Pick<OrderRow, 'number'>, lang: 'ru' | 'en' = 'ru') => `${lang === 'en' ? 'Order' : 'Заказ'} ${o.number}`;

/** Product rows of the item: one per order line, the dealer's final unit price, quantity in base units. */
export function productRowsOf(lines: readonly Pick<OrderLineRow, 'sku' | 'name' | 'price' | 'baseQty' | 'unitName' | 'productErpId' | 'lineNo'>[]): Array<Record<string, unknown>> {
  return lines.map((l) => ({
    productName: l.sku ? `${l.sku} ${l.name}`.slice(0, 255) : l.name.slice(0, 255),
    // Decimal strings go as they are: the portal parses them, no float ever rounds a kopeck away here.
    price: l.price,
    quantity: l.baseQty,
    ...(l.unitName ? { measureName: l.unitName } : {}),
    sort: l.lineNo * 10,
    ...(l.productErpId ? { xmlId: l.productErpId } : {}),
  }));
}

export async function itemFieldsOf(ic: OrderItemContext, o: OrderRow, extra: { dealerManagerId: number | null; lang: 'ru' | 'en' }): Promise<Record<string, unknown>> {
  const sp = ic.orders;
  const [delivery, source] = await Promise.all([loadEnumOptions(ic.client, ic.portalId, sp, 'deliveryMethod'), loadEnumOptions(ic.client, ic.portalId, sp, 'source')]);
  const fields: Record<string, unknown> = {
    title: orderTitle(o, extra.lang),
    stageId: sp.stages.new,
    ...(sp.categoryId !== null ? { categoryId: sp.categoryId } : {}),
    companyId: o.companyId ?? 0,
    [`parentId${ic.dealersEntityTypeId}`]: o.dealerItemId,
    opportunity: o.total,
    isManualOpportunity: 'Y',
    currencyId: o.currency,
    [field(sp, 'externalId')]: o.externalId,
    [field(sp, 'orderNumber')]: o.number,
    [field(sp, 'deliveryAddress')]: o.deliveryAddress ?? '',
    [field(sp, 'dealerComment')]: o.comment ?? '',
    [field(sp, 'submittedBy')]: o.userId,
    [field(sp, 'changesPending')]: 'N',
  };
  if (o.desiredDate) fields[field(sp, 'desiredDate')] = o.desiredDate;
  if (extra.dealerManagerId) fields.assignedById = extra.dealerManagerId;
  const deliveryId = enumIdOf(delivery, o.deliveryMethod);
  if (deliveryId) fields[field(sp, 'deliveryMethod')] = Number(deliveryId);
  const sourceId = enumIdOf(source, o.source);
  if (sourceId) fields[field(sp, 'source')] = Number(sourceId);
  return fields;
}

/** The item carrying our external id, if the portal has one (the lookup after an ambiguous add). */
export async function findItemByExternalId(ic: OrderItemContext, externalId: string): Promise<number | null> {
  const got = await ic.client.call<{ items?: Array<{ id: number }> }>('crm.item.list', {
    entityTypeId: ic.orders.entityTypeId,
    filter: { [field(ic.orders, 'externalId')]: externalId },
    select: ['id'],
  });
  const id = Number(got.items?.[0]?.id ?? 0);
  return id > 0 ? id : null;
}

export async function setProductRows(ic: OrderItemContext, itemId: number, rows: Array<Record<string, unknown>>): Promise<void> {
  await ic.client.call('crm.item.productrow.set', { ownerType: productRowOwnerType(ic.orders.entityTypeId), ownerId: itemId, productRows: rows });
}

const UNSURE = new Set(['ambiguous', 'timeout', 'server', 'network', 'rate_limit', 'operation_time_limit']);
const unsure = (err: unknown) => isB24Error(err) && UNSURE.has(err.kind);

/**
 * Creates the Orders item and its product rows in ONE batch, exactly once: an answer lost on the way back (timeout,
 * 5xx) is never simply retried — the item is looked up by our external id first, and only a missing one is sent
 * again. An item found without its rows gets them (productrow.set replaces, so setting twice is harmless).
 */
export async function createOrderItem(ic: OrderItemContext, fields: Record<string, unknown>, rows: Array<Record<string, unknown>>, externalId: string): Promise<{ itemId: number; recovered: boolean }> {
  const existing = await findItemByExternalId(ic, externalId);
  if (existing) {
    await setProductRows(ic, existing, rows);
    return { itemId: existing, recovered: true };
  }
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const result = await ic.client.batch<{ item?: { id: number } }>(
        {
          add: { method: 'crm.item.add', params: { entityTypeId: ic.orders.entityTypeId, fields } },
          rows: { method: 'crm.item.productrow.set', params: { ownerType: productRowOwnerType(ic.orders.entityTypeId), ownerId: '$result[add][item][id]', productRows: rows } },
        },
        { halt: true },
      );
      const add = result.byKey.add;
      if (!add?.ok) {
        if (add?.error && unsure(add.error)) throw add.error;
        throw new AppError('UPSTREAM_FAILED', `Bitrix24 refused the order: ${add?.error?.message ?? 'no answer for crm.item.add'}`, { cause: add?.error });
      }
      const itemId = Number(add.result?.item?.id ?? 0);
      if (!(itemId > 0)) throw new AppError('UPSTREAM_FAILED', 'Bitrix24 created the order but did not say its id');
      if (!result.byKey.rows?.ok) await setProductRows(ic, itemId, rows);
      return { itemId, recovered: false };
    } catch (err) {
      if (!unsure(err)) throw err;
      lastError = err;
      const found = await findItemByExternalId(ic, externalId).catch(() => null);
      if (found) {
        await setProductRows(ic, found, rows);
        return { itemId: found, recovered: true };
      }
    }
  }
  throw new AppError('UPSTREAM_FAILED', 'Bitrix24 did not answer; the order was kept and will be sent again when you retry', { cause: lastError });
}

/** Writes fields of an existing item (stage moves, ERP number, changes flag…). */
export async function updateOrderItem(ic: OrderItemContext, itemId: number, fields: Record<string, unknown>): Promise<void> {
  await ic.client.call('crm.item.update', { entityTypeId: ic.orders.entityTypeId, id: itemId, fields });
}

/** Our field keys → the item's REST names, for partial updates. */
export function orderFieldPatch(sp: InstalledSmartProcess, patch: Partial<Record<'erpNumber' | 'erpStatus' | 'changesPending' | 'creditCheck' | 'warehouse', string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const name = sp.fields[key]?.restName;
    if (name && value !== undefined) out[name] = key === 'erpStatus' || key === 'creditCheck' ? String(value).slice(0, 255) : value;
  }
  return out;
}

export async function addTimelineComment(ic: OrderItemContext, itemId: number, comment: string): Promise<void> {
  await ic.client.call('crm.timeline.comment.add', { fields: { ENTITY_ID: itemId, ENTITY_TYPE: `dynamic_${ic.orders.entityTypeId}`, COMMENT: comment.slice(0, 4000) } });
}
