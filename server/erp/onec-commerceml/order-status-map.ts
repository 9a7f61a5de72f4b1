import type { ErpOrderStatus } from '../port.js';

/**
 * Order status ids of the site ↔ 1C exchange. 1C sends the requisites «Статус заказа» = "[F] Выполнен" and «Статуса
 * заказа ИД» = "F" in documents.xml; N, P, F are Bitrix's built-in statuses, the other letters are the ones DealerHub
 * publishes so a 1C administrator can map 1C order states to them in the exchange node settings
 * (https://dev.1c-bitrix.ru/support/forum/messages/forum26/topic92199/message464043/).
 */
export const CML_ORDER_STATUSES: ReadonlyArray<{ id: string; status: ErpOrderStatus; name: string }> = [
  { id: 'N', status: 'confirmed', name: 'Принят' },
  { id: 'W', status: 'in_fulfilment', name: 'В работе' },
  { id: 'I', status: 'invoiced', name: 'Выставлен счёт' },
  { id: 'P', status: 'paid', name: 'Оплачен' },
  { id: 'S', status: 'shipped', name: 'Отгружен' },
  { id: 'D', status: 'delivered', name: 'Доставлен' },
  { id: 'F', status: 'closed', name: 'Выполнен' },
  { id: 'C', status: 'cancelled', name: 'Отменён' },
  { id: 'DR', status: 'draft', name: 'Черновик' },
];

const BY_ID = new Map(CML_ORDER_STATUSES.map((s) => [s.id, s]));
const BY_STATUS = new Map(CML_ORDER_STATUSES.map((s) => [s.status, s]));

export function statusFromCmlId(id: string | undefined): ErpOrderStatus | undefined {
  return id ? BY_ID.get(id.trim().toUpperCase())?.status : undefined;
}

export function cmlStatusOf(status: ErpOrderStatus): { id: string; name: string } {
  const s = BY_STATUS.get(status) ?? BY_ID.get('N');
  return { id: s?.id ?? 'N', name: s?.name ?? 'Принят' };
}

/** "[F] Выполнен" → "F". */
export function statusIdFromText(text: string | undefined): string | undefined {
  const m = text ? /^\s*\[([A-Za-z0-9_]+)\]/.exec(text) : null;
  return m?.[1];
}
