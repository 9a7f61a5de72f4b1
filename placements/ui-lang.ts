/**
 * The widget language for a portal's LANG (widget_data.md): Russian for the Russian-speaking zones Bitrix24 serves
 * (ru, ua, by, kz), English for every other language we do not translate yet.
 */
const RUSSIAN = ['ru', 'ua', 'by', 'kz'];

export function uiLangOf(lang: unknown): 'ru' | 'en' {
  const code = String(lang ?? 'ru').toLowerCase().slice(0, 2);
  return RUSSIAN.includes(code) || code === '' ? 'ru' : 'en';
}
