import type { SandboxStore } from '../store/store.js';
import type { SStatus, SUser } from '../store/types.js';
import { h, raw, type Html } from './html.js';

/** Small rendering helpers shared by the portal pages (names, avatars, dates, stages, localized strings). */

export function userName(u: SUser | undefined): string {
  if (!u) return '—';
  return `${u.NAME} ${u.LAST_NAME}`.trim() || u.LOGIN;
}

export function userRoleLabel(u: SUser): string {
  if (u.USER_TYPE !== 'employee') return u.WORK_POSITION ? `${u.WORK_POSITION} · экстранет` : 'Экстранет';
  if (u.IS_ADMIN) return 'Администратор';
  return u.WORK_POSITION || 'Сотрудник';
}

export function avatar(u: SUser | undefined, size: 'sm' | '' = ''): Html {
  const initials = u ? `${u.NAME.charAt(0)}${u.LAST_NAME.charAt(0)}`.toUpperCase() : '?';
  const kind = u?.USER_TYPE === 'extranet' ? 'extranet' : u?.IS_ADMIN ? 'admin' : '';
  return h`<span class="avatar ${size} ${kind}">${initials}</span>`;
}

export function userLink(store: SandboxStore, id: unknown): Html {
  const u = typeof id === 'number' || typeof id === 'string' ? store.users.get(Number(id)) : undefined;
  if (!u) return h`<span class="muted">—</span>`;
  return h`<span class="userlink">${avatar(u, 'sm')}${userName(u)}</span>`;
}

const DATE_TIME = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const DATE_ONLY = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: 'long', year: 'numeric' });

export function formatDateTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return DATE_TIME.format(new Date(ms));
}

export function formatDate(value: unknown): string {
  if (typeof value === 'number') return DATE_ONLY.format(new Date(value));
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return DATE_ONLY.format(new Date(`${value.slice(0, 10)}T00:00:00`));
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

const MONEY = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Display only: the portal stores money as numbers; the page shows them with two decimals and the currency. */
export function formatMoney(amount: unknown, currency: unknown = 'RUB'): string {
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n)) return '—';
  const cur = currency === 'RUB' || !currency ? '₽' : String(currency);
  return `${MONEY.format(n)} ${cur}`;
}

/** A name given as a string or as a language map ({ru, en, …}), as bizproc.robot.add and placement titles allow. */
export function localized(v: unknown, lang = 'ru'): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const map = v as Record<string, unknown>;
    const pick = map[lang] ?? map.ru ?? map.en ?? Object.values(map)[0];
    return typeof pick === 'string' ? pick : '';
  }
  return '';
}

/** A stage as B24 lists show it: one square per stage of the pipeline, filled up to the item's stage, and its name. */
export function stageBadge(stages: SStatus[], stageId: unknown): Html {
  const index = stages.findIndex((s) => s.STATUS_ID === stageId);
  const stage = stages[index];
  if (!stage) return h`<span class="muted">—</span>`;
  const progress = stages.filter((s) => s.SEMANTICS === null);
  const reached = stage.SEMANTICS === null ? progress.indexOf(stage) : progress.length - 1;
  const squares = progress.map((s, i) => h`<i style="background:${i <= reached ? stage.COLOR || '#2fc6f6' : '#e3e7ea'}"></i>`);
  return h`<span class="stage-badge" data-stage="${stage.STATUS_ID}"><span class="stage-steps">${squares}</span><span class="stage-name">${stage.NAME}</span></span>`;
}

/** Turns the BB-code subset notifications use ([b], [i], [u], [url=…], [br]) into HTML, escaping everything else. */
export function bbToHtml(text: string): Html {
  let out = h`${text}`.value;
  out = out
    .replace(/\[br\]/gi, '<br>')
    .replace(/\n/g, '<br>')
    .replace(/\[(b|i|u|s)\]([\s\S]*?)\[\/\1\]/gi, '<$1>$2</$1>')
    .replace(/\[url=(https?:\/\/[^\]\s]+|\/[^\]\s]*)\]([\s\S]*?)\[\/url\]/gi, '<a href="$1" target="_top">$2</a>')
    .replace(/\[url\](https?:\/\/[^[\s]+)\[\/url\]/gi, '<a href="$1" target="_top">$1</a>');
  return raw(out);
}
