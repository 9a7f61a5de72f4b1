import { looksLikeWrongLayout, switchLayout } from './keyboard-layout.js';
import { normalizeCode, tokenize, trigrams } from './normalize.js';

/**
 * The cabinet's one search box: products by name / SKU / barcode, orders by number, later claims, documents, news.
 * An in-memory index per portal, rebuilt from the read model and patched on change. Why not MariaDB FULLTEXT: it
 * has no typo tolerance and no prefix match on short words, and autocomplete must answer in a few milliseconds.
 *
 * Typo tolerance works at the vocabulary level: a query word is matched to indexed words by trigram similarity
 * (Dice coefficient), then to the documents holding those words, so cost grows with the vocabulary, not the catalog.
 */
export type SearchKind = 'product' | 'order' | 'claim' | 'document' | 'news';

export interface SearchDoc<P = unknown> {
  id: string;
  kind: SearchKind;
  title: string;
  /** Exact-match identifiers: SKU, barcodes, order number. */
  codes?: string[];
  /** Extra searchable words (brand, group, properties). */
  text?: string;
  /** Goods not on sale never show to dealers. */
  onSale?: boolean;
  /** 0…1, breaks ties toward what dealers buy most. */
  popularity?: number;
  payload?: P;
}

export interface SearchHit<P = unknown> {
  doc: SearchDoc<P>;
  score: number;
  /** Which way the hit matched, for highlighting and for tests. */
  match: 'code' | 'exact' | 'prefix' | 'fuzzy';
}

export interface SearchResult<P = unknown> {
  hits: SearchHit<P>[];
  /** The query after keyboard-layout correction, when that is what found the hits. */
  correctedQuery: string | null;
  total: number;
}

export interface SearchOptions {
  limit?: number;
  kinds?: SearchKind[];
  includeNotOnSale?: boolean;
  /** Treat the last word as a prefix (autocomplete as you type). Default true. */
  prefix?: boolean;
}

const MIN_FUZZY = 0.45;

interface WordCandidate {
  word: string;
  score: number;
  match: SearchHit['match'];
}

export class SearchIndex<P = unknown> {
  private readonly docs: Array<SearchDoc<P> | undefined> = [];
  private readonly firstWords: Array<string | undefined> = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, Set<number>>();
  private readonly wordsByTrigram = new Map<string, Set<string>>();
  private readonly codes = new Map<string, Set<number>>();
  private sortedWords: string[] | null = null;
  private sortedCodes: string[] | null = null;

  get size(): number {
    return this.slotById.size;
  }

  upsert(doc: SearchDoc<P>): void {
    this.remove(doc.id);
    const slot = this.freeSlots.pop() ?? this.docs.length;
    this.docs[slot] = doc;
    this.firstWords[slot] = tokenize(doc.title)[0];
    this.slotById.set(doc.id, slot);
    for (const word of new Set(tokenize(`${doc.title} ${doc.text ?? ''}`))) this.addWord(word, slot);
    for (const code of doc.codes ?? []) {
      const c = normalizeCode(code);
      if (!c) continue;
      if (!this.codes.has(c)) {
        this.codes.set(c, new Set());
        this.sortedCodes = null;
      }
      this.codes.get(c)!.add(slot);
    }
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    const doc = this.docs[slot]!;
    for (const word of new Set(tokenize(`${doc.title} ${doc.text ?? ''}`))) this.postings.get(word)?.delete(slot);
    for (const code of doc.codes ?? []) this.codes.get(normalizeCode(code))?.delete(slot);
    this.docs[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
  }

  search(query: string, options: SearchOptions = {}): SearchResult<P> {
    const direct = this.run(query, options);
    if (looksLikeWrongLayout(query)) {
      const switched = switchLayout(query);
      const corrected = this.run(switched, options);
      const directBest = direct.hits[0]?.score ?? 0;
      const correctedBest = corrected.hits[0]?.score ?? 0;
      if (correctedBest > directBest) return { ...corrected, correctedQuery: switched };
    }
    return { ...direct, correctedQuery: null };
  }

  private run(query: string, options: SearchOptions): Omit<SearchResult<P>, 'correctedQuery'> {
    const limit = options.limit ?? 20;
    const tokens = tokenize(query);
    if (tokens.length === 0) return { hits: [], total: 0 };
    // Dense per-slot accumulators: a broad prefix ("га") touches tens of thousands of documents, and maps of objects
    // there cost more than the whole rest of the query.
    const n = this.docs.length;
    const score = new Float64Array(n);
    const rank = new Uint8Array(n); // best (lowest) match rank seen, 0 = none yet
    const matchedTokens = new Uint8Array(n);
    const tokenBest = new Float64Array(n);
    const touched: number[] = [];
    const note = (slot: number, s: number, m: number) => {
      if (rank[slot] === 0) touched.push(slot);
      score[slot] = score[slot]! + s;
      if (rank[slot] === 0 || m < rank[slot]!) rank[slot] = m;
    };

    // Codes: the whole query typed as an SKU / barcode / order number, exact or as a prefix.
    const code = normalizeCode(query);
    if (code.length >= 2) {
      for (const [c, slots] of this.codesWithPrefix(code)) {
        const s = c === code ? 100 : 60 + (code.length / c.length) * 20;
        for (const slot of slots) note(slot, s, RANK.code);
      }
    }

    // Words: every query word must match (AND); the last one may be a prefix while the user is typing.
    const wordRank = new Uint8Array(n);
    tokens.forEach((token, i) => {
      const seen: number[] = [];
      for (const cand of this.wordCandidates(token, i === tokens.length - 1 && options.prefix !== false)) {
        const m = RANK[cand.match];
        for (const slot of this.postings.get(cand.word) ?? []) {
          if (matchedTokens[slot] !== i) continue; // missed an earlier word
          if (tokenBest[slot] === 0) seen.push(slot);
          if (cand.score > tokenBest[slot]!) tokenBest[slot] = cand.score;
          if (m > wordRank[slot]!) wordRank[slot] = m; // a document is as good as its weakest word match
        }
      }
      for (const slot of seen) {
        matchedTokens[slot] = i + 1;
        score[slot] = score[slot]! + (tokenBest[slot]! / tokens.length) * 50;
        tokenBest[slot] = 0;
      }
    });
    for (let slot = 0; slot < n; slot++) {
      if (matchedTokens[slot] === tokens.length && wordRank[slot]! > 0) {
        if (rank[slot] === 0) touched.push(slot);
        if (rank[slot] === 0 || wordRank[slot]! < rank[slot]!) rank[slot] = wordRank[slot]!;
      } else if (matchedTokens[slot]! > 0 && rank[slot] === 0) {
        score[slot] = 0; // partial word matches do not count
      }
    }

    const first = tokens[0]!;
    const hits: SearchHit<P>[] = [];
    let total = 0;
    for (const slot of touched) {
      const doc = this.docs[slot];
      if (!doc || score[slot] === 0) continue;
      if (options.kinds && !options.kinds.includes(doc.kind)) continue;
      if (doc.onSale === false && !options.includeNotOnSale) continue;
      total++;
      const titleBonus = this.firstWords[slot]?.startsWith(first) ? 3 : 0;
      const s = score[slot]! + titleBonus + (doc.popularity ?? 0) * 2;
      if (hits.length < limit || s > hits[hits.length - 1]!.score) {
        hits.push({ doc, score: s, match: MATCHES[rank[slot]! - 1]! });
        hits.sort((a, b) => b.score - a.score || a.doc.title.localeCompare(b.doc.title));
        if (hits.length > limit) hits.pop();
      }
    }
    return { hits, total };
  }

  private wordCandidates(token: string, asPrefix: boolean): WordCandidate[] {
    const out = new Map<string, WordCandidate>();
    const add = (c: WordCandidate) => {
      const prev = out.get(c.word);
      if (!prev || c.score > prev.score) out.set(c.word, c);
    };
    if (this.postings.get(token)?.size) add({ word: token, score: 1, match: 'exact' });
    if (asPrefix && token.length >= 2) {
      for (const w of this.wordsWithPrefix(token, 200)) if (w !== token) add({ word: w, score: 0.85 + 0.1 * (token.length / w.length), match: 'prefix' });
    }
    if (token.length >= 3) {
      const qGrams = trigrams(token);
      const shared = new Map<string, number>();
      for (const g of new Set(qGrams)) for (const w of this.wordsByTrigram.get(g) ?? []) shared.set(w, (shared.get(w) ?? 0) + 1);
      for (const [w, common] of shared) {
        if (out.has(w)) continue;
        // Compare against the word's start too, so a typo inside a word being typed still finds it.
        const full = (2 * common) / (qGrams.length + trigrams(w).length);
        const head = asPrefix && w.length > token.length ? (2 * common) / (qGrams.length * 2) : 0;
        const sim = Math.max(full, head);
        if (sim >= MIN_FUZZY) add({ word: w, score: 0.5 * sim, match: 'fuzzy' });
      }
    }
    return [...out.values()];
  }

  private addWord(word: string, slot: number): void {
    let set = this.postings.get(word);
    if (!set) {
      set = new Set();
      this.postings.set(word, set);
      this.sortedWords = null;
      for (const g of trigrams(word)) {
        let words = this.wordsByTrigram.get(g);
        if (!words) this.wordsByTrigram.set(g, (words = new Set()));
        words.add(word);
      }
    }
    set.add(slot);
  }

  private wordsWithPrefix(prefix: string, max: number): string[] {
    this.sortedWords ??= [...this.postings.keys()].sort();
    return rangeWithPrefix(this.sortedWords, prefix, max);
  }

  private *codesWithPrefix(prefix: string): Iterable<[string, Set<number>]> {
    this.sortedCodes ??= [...this.codes.keys()].sort();
    for (const c of rangeWithPrefix(this.sortedCodes, prefix, 50)) yield [c, this.codes.get(c)!];
  }
}

function rangeWithPrefix(sorted: string[], prefix: string, max: number): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && out.length < max && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

const MATCHES: SearchHit['match'][] = ['code', 'exact', 'prefix', 'fuzzy'];
const RANK = { code: 1, exact: 2, prefix: 3, fuzzy: 4 } as const;
