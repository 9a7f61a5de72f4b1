/**
 * Kinds of dealer notifications; each can be switched off per dealer user (dealer_users.notification_settings,
 * `{kind: false}`), and `email: false` switches the e-mail copy off. The Bitrix24 robot dh_notify_dealer reads the
 * same settings (order_status, order_changed, claim_status, other).
 */
export const NOTIFICATION_KINDS = ['order_status', 'order_changed', 'goods_arrived', 'claim_status', 'other'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_LABELS: Record<NotificationKind, { ru: string; en: string }> = {
  order_status: { ru: 'Статус заказа изменился', en: 'Order status changed' },
  order_changed: { ru: 'Менеджер изменил заказ', en: 'The manager changed an order' },
  goods_arrived: { ru: 'Товар из листа ожидания поступил', en: 'Goods from the waiting list arrived' },
  claim_status: { ru: 'Статус рекламации изменился', en: 'Claim status changed' },
  other: { ru: 'Прочие уведомления', en: 'Other notices' },
};

export interface NotificationSettingsView {
  kinds: Array<{ kind: NotificationKind; label: string; enabled: boolean }>;
  email: { enabled: boolean; address: string | null; configured: boolean };
}

export function settingsView(settings: Record<string, boolean>, email: string | null, smtpConfigured: boolean, lang: 'ru' | 'en'): NotificationSettingsView {
  return {
    kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, label: NOTIFICATION_LABELS[kind][lang], enabled: settings[kind] !== false })),
    email: { enabled: settings.email !== false, address: email, configured: smtpConfigured },
  };
}
