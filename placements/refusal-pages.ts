import type { ResolvedRole } from './resolve-role.js';

type Lang = 'ru' | 'en';
type Reason = Extract<ResolvedRole, { ok: false }>['reason'] | 'role' | 'forbidden' | 'bad-request' | 'upstream' | 'not-built' | 'not-installed' | 'internal';

/** What a refused or failed placement shows: a title, what happened, and what the person can do about it. */
const TEXT: Record<Reason, Record<Lang, { title: string; message: string; hint?: string }>> = {
  'no-email': {
    ru: { title: 'Вы ещё не подключены к дилеру', message: 'У вашей учётной записи нет e-mail, по которому DealerHub находит вашу компанию.', hint: 'Попросите вашего менеджера указать ваш e-mail в карточке контакта вашей компании в CRM.' },
    en: { title: 'You are not connected to a dealer yet', message: 'Your account has no e-mail DealerHub could find your company by.', hint: "Ask your manager to put your e-mail on your contact in your company's CRM card." },
  },
  'no-contact': {
    ru: { title: 'Вы ещё не подключены к дилеру', message: 'В CRM нет контакта с вашим e-mail, поэтому DealerHub не знает, какую компанию вы представляете.', hint: 'Попросите вашего менеджера добавить вас контактом вашей компании в CRM.' },
    en: { title: 'You are not connected to a dealer yet', message: 'The CRM has no contact with your e-mail, so DealerHub does not know which company you work for.', hint: "Ask your manager to add you as a contact of your company in the CRM." },
  },
  'no-dealer': {
    ru: { title: 'Вы ещё не подключены к дилеру', message: 'Ваша компания пока не заведена как дилер.', hint: 'Обратитесь к вашему менеджеру: он создаст карточку дилера для вашей компании.' },
    en: { title: 'You are not connected to a dealer yet', message: 'Your company is not set up as a dealer yet.', hint: 'Ask your manager to create a dealer card for your company.' },
  },
  inactive: {
    ru: { title: 'Доступ к кабинету отключён', message: 'Руководитель вашей компании или менеджер отключил вашу учётную запись в кабинете дилера.', hint: 'Попросите их включить доступ снова.' },
    en: { title: 'Your access is switched off', message: "Your company's head or your manager switched off your account in the dealer cabinet.", hint: 'Ask them to switch it on again.' },
  },
  'dealer-closed': {
    ru: { title: 'Сотрудничество завершено', message: 'Карточка вашей компании как дилера закрыта.', hint: 'Если это ошибка, свяжитесь с вашим менеджером.' },
    en: { title: 'The partnership is closed', message: "Your company's dealer card is closed.", hint: 'If this is a mistake, contact your manager.' },
  },
  role: {
    ru: { title: 'Эта вкладка недоступна', message: 'Ваша роль в DealerHub не позволяет открыть эту вкладку.', hint: 'Если доступ нужен, обратитесь к администратору портала.' },
    en: { title: 'This tab is not available to you', message: 'Your DealerHub role may not open this tab.', hint: 'If you need it, ask the portal administrator.' },
  },
  forbidden: {
    ru: { title: 'Доступ запрещён', message: 'Запрос не подтверждён порталом Битрикс24.', hint: 'Обновите страницу в Битрикс24 и откройте вкладку снова.' },
    en: { title: 'Access denied', message: 'The request was not confirmed by the Bitrix24 portal.', hint: 'Reload the page in Bitrix24 and open the tab again.' },
  },
  'bad-request': {
    ru: { title: 'Неполный запрос', message: 'Портал прислал запрос без обязательных полей.', hint: 'Откройте вкладку из Битрикс24; прямые ссылки на неё не работают.' },
    en: { title: 'Incomplete request', message: 'The portal sent a request without required fields.', hint: 'Open the tab from Bitrix24; direct links to it do not work.' },
  },
  upstream: {
    ru: { title: 'Портал Битрикс24 недоступен', message: 'Не удалось подтвердить ваш вход на портале.', hint: 'Попробуйте ещё раз через минуту.' },
    en: { title: 'Bitrix24 cannot be reached', message: 'Your sign-in could not be confirmed with the portal.', hint: 'Try again in a minute.' },
  },
  'not-built': {
    ru: { title: 'DealerHub обновляется', message: 'Интерфейс приложения ещё не собран на сервере.', hint: 'Администратору сервера: выполните npm run build:widgets.' },
    en: { title: 'DealerHub is being updated', message: 'The app interface is not built on the server yet.', hint: 'Server administrator: run npm run build:widgets.' },
  },
  'not-installed': {
    ru: { title: 'DealerHub ещё не настроен', message: 'Установка приложения на портале не завершена.', hint: 'Администратору портала: откройте приложение, чтобы завершить установку.' },
    en: { title: 'DealerHub is not set up yet', message: 'The installation on this portal is not finished.', hint: 'Portal administrator: open the app to finish the installation.' },
  },
  internal: {
    ru: { title: 'Что-то пошло не так', message: 'Мы уже записали ошибку.', hint: 'Попробуйте открыть вкладку ещё раз.' },
    en: { title: 'Something went wrong', message: 'The error has been logged.', hint: 'Try opening the tab again.' },
  },
};

export function refusalText(reason: Reason, lang: Lang, detail?: string): { title: string; message: string; hint?: string } {
  const t = TEXT[reason][lang];
  return detail ? { ...t, message: `${t.message} ${detail}`.trim() } : t;
}

export type RefusalReason = Reason;
