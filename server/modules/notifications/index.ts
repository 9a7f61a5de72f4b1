/** Dealer notifications: Bitrix24 notices and e-mail (SMTP_URL), per-kind settings per dealer user. */
export { notifyDealerUsers, configureNotifier, recipientsOf, smtpOf, type DealerNotice, type NoticeResult, type NotifierOptions } from './notify-dealer-users.js';
export { NOTIFICATION_KINDS, NOTIFICATION_LABELS, settingsView, type NotificationKind, type NotificationSettingsView } from './notification-kinds.js';
export { notificationRoutes, ZNotificationSettingsPatch } from './notifications.routes.js';
export { sendMail, type MailMessage } from './smtp-client.js';
export { parseSmtpUrl, ZSmtpUrl, type TSmtpSettings } from './smtp-settings.js';
