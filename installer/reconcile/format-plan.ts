import { STEP_KEYS, type StepKey } from '../installer-record.js';
import type { Lang } from './desired-state.js';
import type { Operation } from './operation.types.js';

const STEP_TITLES: Record<StepKey, Record<Lang, string>> = {
  read: { ru: 'Чтение портала', en: 'Reading the portal' },
  smartProcesses: { ru: 'Смарт-процессы', en: 'Smart processes' },
  fields: { ru: 'Поля', en: 'Fields' },
  stages: { ru: 'Стадии', en: 'Stages' },
  placements: { ru: 'Виджеты', en: 'Widgets' },
  robots: { ru: 'Роботы', en: 'Robots' },
  events: { ru: 'События', en: 'Events' },
};

export const stepTitle = (key: StepKey, lang: Lang) => STEP_TITLES[key][lang];

const sign = (op: Operation) => (/^(create|add|bind)/.test(op.kind) ? '+' : /^(delete|unbind)/.test(op.kind) ? '-' : '~');

/** The diff as a person reads it: grouped by step, `+` new, `~` changed (with what), `-` removed. */
export function formatPlan(ops: Operation[], notices: string[], lang: Lang): string {
  const lines: string[] = [];
  if (!ops.length) lines.push(lang === 'ru' ? 'Изменений нет: портал соответствует манифесту.' : 'No changes: the portal matches the manifest.');
  for (const step of STEP_KEYS) {
    const group = ops.filter((o) => o.step === step);
    if (!group.length) continue;
    lines.push(`${stepTitle(step, lang)} (${group.length})`);
    for (const op of group) {
      const later = op.pending ? (lang === 'ru' ? '  (после создания смарт-процесса)' : '  (once the smart process exists)') : '';
      lines.push(`  ${sign(op)} ${op.text[lang]}${later}`);
      for (const c of op.changes ?? []) lines.push(`      ${c}`);
    }
  }
  if (notices.length) {
    lines.push(lang === 'ru' ? 'Замечания' : 'Notes');
    for (const n of notices) lines.push(`  ! ${n}`);
  }
  return lines.join('\n');
}
