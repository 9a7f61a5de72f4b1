/** One normal form for indexing and querying: lower case, ё = е, punctuation to spaces, runs of spaces collapsed. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  const n = normalizeText(text);
  return n ? n.split(' ') : [];
}

/** Codes (SKU, barcode) compare without separators: "ST-2045/A" = "st2045a". */
export function normalizeCode(code: string): string {
  return code.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Padded trigrams of a word ("  ко", " кол", …) so short words and word starts match too. */
export function trigrams(word: string): string[] {
  const padded = `  ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}
