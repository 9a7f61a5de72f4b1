/**
 * Russian users often type with the wrong layout on: "ghbdtn" is "привет" typed on the English layout, "ljhj" is
 * "доро…". The JCUKEN ↔ QWERTY key positions below are the standard ones on Windows/macOS Russian keyboards.
 */
const EN = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./" + '~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?';
const RU = 'ёйцукенгшщзхъфывапролджэячсмитьбю.' + 'ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,';

const EN_TO_RU = new Map<string, string>();
const RU_TO_EN = new Map<string, string>();
for (let i = 0; i < EN.length; i++) {
  EN_TO_RU.set(EN[i]!, RU[i]!);
  RU_TO_EN.set(RU[i]!, EN[i]!);
}

/** Re-types the text as if the other layout had been on. Digits, spaces and unknown characters stay. */
export function switchLayout(text: string): string {
  const latin = (text.match(/[a-z]/gi) ?? []).length;
  const cyrillic = (text.match(/[а-яё]/gi) ?? []).length;
  const map = latin >= cyrillic ? EN_TO_RU : RU_TO_EN;
  let out = '';
  for (const ch of text) out += map.get(ch) ?? ch;
  return out;
}

/** True when the text looks like Russian typed on the English layout (mostly latin letters and layout punctuation). */
export function looksLikeWrongLayout(text: string): boolean {
  return /[a-z]/i.test(text) && !/[а-яё]/i.test(text);
}
