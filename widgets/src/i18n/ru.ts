/** Russian is the source language; en.ts must have every key (the type enforces it). */
export const ru = {
  'app.name': 'DealerHub',
  'common.loading': 'Загрузка…',
  'common.retry': 'Повторить',
  'common.empty': 'Здесь пока ничего нет',
  'common.save': 'Сохранить',
  'common.cancel': 'Отмена',
  'common.close': 'Закрыть',
  'common.search': 'Поиск',
  'common.total': 'Итого',
  'error.title': 'Не удалось загрузить данные',
  'error.session': 'Сессия истекла. Откройте вкладку заново.',
  'error.forbidden': 'Недостаточно прав для этого действия.',
  'error.network': 'Нет связи с сервером DealerHub. Проверьте подключение и повторите.',
  'error.unexpected': 'Что-то пошло не так. Мы уже записали ошибку.',
} as const;

export type Messages = { [K in keyof typeof ru]: string };
