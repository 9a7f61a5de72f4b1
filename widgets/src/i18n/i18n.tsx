import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { en } from './en.js';
import { ru, type Messages } from './ru.js';

/**
 * UI text through keys, Russian first (DESIGN.md §8). A typed dictionary per language keeps missing keys a compile
 * error; numbers, money and dates go through Intl so they follow the user's locale. Small enough that a library
 * would add more than it saves.
 */
export type Lang = 'ru' | 'en';
export type MessageKey = keyof Messages;

const dictionaries: Record<Lang, Messages> = { ru, en };

export interface I18n {
  lang: Lang;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  money(amount: string | number, currency?: string): string;
  number(value: string | number, fractionDigits?: number): string;
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  plural(count: number, forms: { one: string; few?: string; many: string; other?: string }): string;
}

/** Russian for the Russian-speaking zones (ru, ua, by, kz), English for any other portal language. */
export function normalizeLang(lang: string | null | undefined): Lang {
  const code = (lang ?? 'ru').toLowerCase().slice(0, 2);
  return ['ru', 'ua', 'by', 'kz', ''].includes(code) ? 'ru' : 'en';
}

export function createI18n(lang: Lang): I18n {
  const dict = dictionaries[lang];
  const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
  const plurals = new Intl.PluralRules(locale);
  return {
    lang,
    t(key, params) {
      const text = dict[key] ?? ru[key] ?? String(key);
      return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
    },
    money(amount, currency = 'RUB') {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount));
    },
    number(value, fractionDigits) {
      return new Intl.NumberFormat(locale, fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(Number(value));
    },
    date(value) {
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(value));
    },
    dateTime(value) {
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    },
    plural(count, forms) {
      const rule = plurals.select(count) as 'one' | 'few' | 'many' | 'other';
      return (forms[rule] ?? forms.other ?? forms.many).replace('{n}', String(count));
    },
  };
}

const I18nContext = createContext<I18n>(createI18n('ru'));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
