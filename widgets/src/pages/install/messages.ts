import type { Lang } from '../../i18n/i18n.js';
import type { StepKey } from './install-progress.types.js';

/** The install page's texts (Russian first); kept here so the shared dictionary stays small. */
const ru = {
  title: 'Установка DealerHub',
  subtitle: 'Настраиваем портал {domain}: смарт-процессы, поля, стадии, виджеты, роботов и события.',
  'state.idle': 'Ожидаем запуска установки…',
  'state.queued': 'Установка в очереди…',
  'state.running': 'Идёт настройка портала…',
  'state.retrying': 'Шаг не удался, повторяем автоматически (попытка {attempt} из {max})…',
  'state.done': 'Портал настроен.',
  'state.failed': 'Установка остановилась с ошибкой.',
  'step.smartProcesses': 'Смарт-процессы',
  'step.fields': 'Поля',
  'step.stages': 'Стадии',
  'step.placements': 'Виджеты',
  'step.robots': 'Роботы',
  'step.events': 'События',
  'step.count': '{done} из {total}',
  'step.nothing': 'без изменений',
  errors: 'Что не получилось',
  retry: 'Повторить',
  retrying: 'Запускаем…',
  finishing: 'Завершаем установку в Битрикс24…',
  finished: 'DealerHub установлен. Можно закрыть это окно.',
  finishFailed: 'Портал настроен, но Битрикс24 не подтвердил завершение установки: {message}',
  finishOutside: 'Портал настроен. Откройте приложение в Битрикс24, чтобы завершить установку.',
  notices: 'Замечания',
} as const;

type Key = keyof typeof ru;

const en: Record<Key, string> = {
  title: 'Installing DealerHub',
  subtitle: 'Setting up {domain}: smart processes, fields, stages, widgets, robots and events.',
  'state.idle': 'Waiting for the installation to start…',
  'state.queued': 'The installation is queued…',
  'state.running': 'Setting up the portal…',
  'state.retrying': 'A step failed; retrying automatically (attempt {attempt} of {max})…',
  'state.done': 'The portal is set up.',
  'state.failed': 'The installation stopped with an error.',
  'step.smartProcesses': 'Smart processes',
  'step.fields': 'Fields',
  'step.stages': 'Stages',
  'step.placements': 'Widgets',
  'step.robots': 'Robots',
  'step.events': 'Events',
  'step.count': '{done} of {total}',
  'step.nothing': 'no changes',
  errors: 'What went wrong',
  retry: 'Retry',
  retrying: 'Starting…',
  finishing: 'Finishing the installation in Bitrix24…',
  finished: 'DealerHub is installed. You can close this window.',
  finishFailed: 'The portal is set up, but Bitrix24 did not confirm the end of the installation: {message}',
  finishOutside: 'The portal is set up. Open the application in Bitrix24 to finish the installation.',
  notices: 'Notes',
};

export function installText(lang: Lang) {
  const dict: Record<Key, string> = lang === 'en' ? en : ru;
  return (key: Key, params?: Record<string, string | number>) =>
    params ? dict[key].replace(/\{(\w+)\}/g, (_, n: string) => String(params[n] ?? `{${n}}`)) : dict[key];
}

export const stepLabelKey = (key: StepKey) => `step.${key}` as const;
