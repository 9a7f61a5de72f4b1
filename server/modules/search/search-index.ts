import { looksLikeWrongLayout, switchLayout } from './keyboard-layout.js';
import { normalizeCode, tokenize, trigrams } from './normalize.js';

/**
 * The cabinet's one search box: products by name / SKU / barcode, orders by number, later claims, documents, news.
 * An in-memory index per portal, rebuilt from the read model and patched on change. Why not MariaDB FULLTEXT: it
 * has no typo tolerance and no prefix match on short words, and autocomplete must answer in a few milliseconds.
 *
 * Typo tolerance works at the vocabulary level: a query word is matched to indexed words by trigram similarity
 * (Dice coefficient), then to the documents holding those words, so cost grows with the vocabulary, not the catalog.
 *
 * Memory (100k products is the design point): documents are columns (title, kind, flags, payload per slot), not
 * objects; words are numbered and postings hold slot numbers; codes are, once frozen, one sorted array with a slot
 * array beside it. The per-query accumulators are reused typed arrays reset only where a query touched them.
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

/** A hit's document as the index keeps it (codes and text are not returned). */
export type SearchHitDoc<P = unknown> = Omit<SearchDoc<P>, 'codes' | 'text'>;

export interface SearchHit<P = unknown> {
  doc: SearchHitDoc<P>;
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

const KINDS: SearchKind[] = ['product', 'order', 'claim', 'document', 'news'];
const MIN_FUZZY = 0.45;
/** Fuzzy matching runs when exact and prefix matching found fewer candidate words than this. */
const FUZZY_WHEN_FEWER = 3;
const MAX_PREFIX_WORDS = 200;
const MAX_CODE_PREFIX = 50;

interface WordCandidate {
  word: number;
  score: number;
  match: SearchHit['match'];
}

/** Per-query accumulators, sized to the document slots and reset only where touched. */
class Scratch {
  score = new Float64Array(0);
  rank = new Uint8Array(0);
  matched = new Uint8Array(0);
  tokenBest = new Float64Array(0);
  wordRank = new Uint8Array(0);

  ensure(n: number): void {
    if (this.score.length >= n) return;
    const size = Math.max(n, this.score.length * 2, 64);
    this.score = new Float64Array(size);
    this.rank = new Uint8Array(size);
    this.matched = new Uint8Array(size);
    this.tokenBest = new Float64Array(size);
    this.wordRank = new Uint8Array(size);
  }

  reset(slots: readonly number[]): void {
    for (const s of slots) {
      this.score[s] = 0;
      this.rank[s] = 0;
      this.matched[s] = 0;
      this.tokenBest[s] = 0;
      this.wordRank[s] = 0;
    }
  }
}

/** A growable typed column. */
class Column<T extends Uint8Array | Int32Array | Float32Array> {
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = this.make(Math.max(64, this.data.length * 2, i + 1));
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

export class SearchIndex<P = unknown> {
  // Documents, one slot each (slots are never reused, so a frozen code array can never point at a newer document).
  private readonly ids: Array<string | undefined> = [];
  private readonly titles: string[] = [];
  private readonly texts: Array<string | undefined> = [];
  private readonly codeLists: Array<string[] | undefined> = [];
  private readonly payloads: Array<P | undefined> = [];
  private readonly kinds = new Column(new Uint8Array(0), (n) => new Uint8Array(n));
  /** 1 on sale, 0 not on sale, 2 removed. */
  private readonly flags = new Column(new Uint8Array(0), (n) => new Uint8Array(n));
  private readonly popularity = new Column(new Float32Array(0), (n) => new Float32Array(n));
  private readonly firstWord = new Column(new Int32Array(0), (n) => new Int32Array(n));
  /** Tie-break order of equal scores: insertion order, by title once frozen (a number, so ranking sorts natively). */
  private readonly titleRank = new Column(new Int32Array(0), (n) => new Int32Array(n));
  private nextRank = 0;
  private keys = new Float64Array(0);
  private readonly slotById = new Map<string, number>();
  // Vocabulary.
  private readonly wordIds = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly wordGrams: number[] = [];
  /** Word id → document slots holding it. */
  private readonly postings: number[][] = [];
  private readonly wordsByTrigram = new Map<string, number[]>();
  private sortedWords: number[] | null = null;
  // Codes: a map while loading (and for documents added after freezing), sorted arrays once frozen.
  private codes = new Map<string, number | number[]>();
  private sortedCodes: string[] | null = null;
  private frozenCodes: string[] = [];
  private frozenCodeSlots = new Int32Array(0);
  private readonly scratch = new Scratch();
  private gramCounts = new Uint16Array(0);

  get size(): number {
    return this.slotById.size;
  }

  upsert(doc: SearchDoc<P>): void {
    this.remove(doc.id);
    const slot = this.ids.length;
    this.ids.push(doc.id);
    this.titles.push(doc.title);
    this.texts.push(doc.text);
    this.codeLists.push(doc.codes);
    this.payloads.push(doc.payload);
    this.kinds.set(slot, KINDS.indexOf(doc.kind));
    this.flags.set(slot, doc.onSale === false ? 0 : 1);
    this.popularity.set(slot, doc.popularity ?? 0);
    this.slotById.set(doc.id, slot);
    this.titleRank.set(slot, this.nextRank++);
    const titleWords = tokenize(doc.title);
    this.firstWord.set(slot, titleWords.length ? this.wordOf(titleWords[0]!) : -1);
    for (const word of wordsOf(titleWords, doc.text)) this.postings[this.wordOf(word)]!.push(slot);
    for (const code of doc.codes ?? []) {
      const c = normalizeCode(code);
      if (!c) continue;
      const at = this.codes.get(c);
      if (at === undefined) {
        this.codes.set(c, slot);
        this.sortedCodes = null;
      } else if (typeof at === 'number') {
        if (at !== slot) this.codes.set(c, [at, slot]);
      } else if (!at.includes(slot)) at.push(slot);
    }
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    for (const word of wordsOf(tokenize(this.titles[slot]!), this.texts[slot])) {
      const w = this.wordIds.get(word);
      if (w !== undefined) this.postings[w] = this.postings[w]!.filter((s) => s !== slot);
    }
    for (const code of this.codeLists[slot] ?? []) {
      const c = normalizeCode(code);
      const at = this.codes.get(c);
      if (at === slot) this.codes.delete(c);
      else if (Array.isArray(at)) this.codes.set(c, at.filter((s) => s !== slot));
    }
    // Frozen codes still name the slot; the removed flag makes lookups skip it.
    this.flags.set(slot, 2);
    this.ids[slot] = undefined;
    this.texts[slot] = undefined;
    this.codeLists[slot] = undefined;
    this.payloads[slot] = undefined;
    this.slotById.delete(id);
    this.sortedCodes = null;
  }

  /** After a bulk load: sorts the vocabulary, ranks titles, and turns the code map into two flat sorted arrays. */
  freeze(): void {
    this.wordsWithPrefix('', 0);
    const titles = this.titles;
    const bySlot = Int32Array.from(titles.keys()).sort((a, b) => (titles[a]! < titles[b]! ? -1 : titles[a]! > titles[b]! ? 1 : a - b));
    bySlot.forEach((slot, rank) => this.titleRank.set(slot, rank));
    this.nextRank = titles.length;
    const entries: Array<[string, number]> = [];
    for (const [c, at] of this.codes) {
      if (typeof at === 'number') entries.push([c, at]);
      else for (const s of at) entries.push([c, s]);
    }
    for (let i = 0; i < this.frozenCodes.length; i++) entries.push([this.frozenCodes[i]!, this.frozenCodeSlots[i]!]);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    this.frozenCodes = entries.map((e) => e[0]);
    this.frozenCodeSlots = Int32Array.from(entries, (e) => e[1]);
    this.codes = new Map();
    this.sortedCodes = null;
    // Frozen codes need no per-document list any more: a removed document is skipped by its flag.
    this.codeLists.fill(undefined);
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

  private docAt(slot: number): SearchHitDoc<P> {
    const doc: SearchHitDoc<P> = { id: this.ids[slot]!, kind: KINDS[this.kinds.data[slot]!]!, title: this.titles[slot]!, onSale: this.flags.data[slot] === 1, popularity: this.popularity.data[slot]! };
    if (this.payloads[slot] !== undefined) doc.payload = this.payloads[slot];
    return doc;
  }

  private run(query: string, options: SearchOptions): Omit<SearchResult<P>, 'correctedQuery'> {
    const limit = Math.max(1, options.limit ?? 20);
    const tokens = tokenize(query);
    if (tokens.length === 0) return { hits: [], total: 0 };
    const sc = this.scratch;
    sc.ensure(this.ids.length);
    const { score, rank, matched, tokenBest, wordRank } = sc;
    const touched: number[] = [];
    const codeSlots: number[] = [];

    try {
      // Codes: the whole query typed as an SKU / barcode / order number, exact or as a prefix.
      const code = normalizeCode(query);
      if (code.length >= 2) {
        this.forEachCodeWithPrefix(code, (c, slot) => {
          const s = c === code ? 100 : 60 + (code.length / c.length) * 20;
          if (rank[slot] === 0) codeSlots.push(slot);
          score[slot] = score[slot]! + s;
          rank[slot] = RANK.code;
        });
      }

      // Words: every query word must match (AND); the last one may be a prefix while the user is typing.
      let seen: number[] = [];
      for (let i = 0; i < tokens.length; i++) {
        const next: number[] = [];
        for (const cand of this.wordCandidates(tokens[i]!, i === tokens.length - 1 && options.prefix !== false)) {
          const m = RANK[cand.match];
          for (const slot of this.postings[cand.word]!) {
            if (matched[slot] !== i) continue; // missed an earlier word (or already counted for this one)
            if (tokenBest[slot] === 0) next.push(slot);
            if (cand.score > tokenBest[slot]!) tokenBest[slot] = cand.score;
            if (m > wordRank[slot]!) wordRank[slot] = m; // a document is as good as its weakest word match
          }
        }
        for (const slot of next) {
          matched[slot] = i + 1;
          score[slot] = score[slot]! + (tokenBest[slot]! / tokens.length) * 50;
          tokenBest[slot] = 0;
        }
        if (i === 0) touched.push(...next);
        seen = next;
      }

      // Documents that matched every word, plus the code matches.
      const resultSlots = codeSlots.slice();
      for (const slot of seen) {
        if (rank[slot] === 0) resultSlots.push(slot);
        if (rank[slot] === 0 || wordRank[slot]! < rank[slot]!) rank[slot] = wordRank[slot]!;
      }

      const first = tokens[0]!;
      const kinds = options.kinds?.map((k) => KINDS.indexOf(k));
      const flags = this.flags.data;
      const slots: number[] = [];
      for (const slot of resultSlots) {
        const flag = flags[slot]!;
        if (flag === 2 || (flag === 0 && !options.includeNotOnSale)) continue;
        if (kinds && !kinds.includes(this.kinds.data[slot]!)) continue;
        // A code hit that is not also a full word match scores from the code only; partial word matches do not count.
        const fw = this.firstWord.data[slot]!;
        score[slot] = (matched[slot] === tokens.length || rank[slot] === RANK.code ? score[slot]! : 0) + (fw >= 0 && this.words[fw]!.startsWith(first) ? 3 : 0) + this.popularity.data[slot]! * 2;
        slots.push(slot);
      }
      const hits = this.rankTop(slots, score, limit).map((slot) => ({ doc: this.docAt(slot), score: score[slot]!, match: MATCHES[rank[slot]! - 1]! }));
      return { hits, total: slots.length };
    } finally {
      sc.reset(touched);
      sc.reset(codeSlots);
    }
  }

  /**
   * The best `limit` slots: score descending, equal scores by title rank. Score (to 1/1000) and rank are packed into
   * one exact integer per slot, so a broad query (20k hits) is ordered by a native typed-array sort, not a comparator.
   */
  private rankTop(slots: number[], score: Float64Array, limit: number): number[] {
    const n = slots.length;
    if (n === 0) return [];
    if (this.nextRank >= RANK_SPAN) {
      const ranks = this.titleRank.data;
      return slots.sort((a, b) => score[b]! - score[a]! || ranks[a]! - ranks[b]!).slice(0, limit);
    }
    if (this.keys.length < n) this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
    const keys = this.keys.subarray(0, n);
    const ranks = this.titleRank.data;
    const bySlotRank = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      const q = Math.max(0, Math.min(SCORE_SPAN - 1, Math.round(score[slot]! * 1000)));
      keys[i] = (SCORE_SPAN - 1 - q) * RANK_SPAN + ranks[slot]!;
      if (n <= 64) bySlotRank.set(ranks[slot]!, slot);
    }
    keys.sort();
    const out: number[] = [];
    const rankToSlot = n <= 64 ? null : this.rankToSlot();
    for (let i = 0; i < Math.min(limit, n); i++) {
      const r = keys[i]! % RANK_SPAN;
      out.push(rankToSlot ? rankToSlot[r]! : bySlotRank.get(r)!);
    }
    return out;
  }

  private rankToSlotCache: Int32Array | null = null;
  private rankToSlotSize = -1;

  private rankToSlot(): Int32Array {
    if (!this.rankToSlotCache || this.rankToSlotSize !== this.nextRank) {
      const map = new Int32Array(this.nextRank).fill(-1);
      const ranks = this.titleRank.data;
      for (let slot = 0; slot < this.titles.length; slot++) map[ranks[slot]!] = slot;
      this.rankToSlotCache = map;
      this.rankToSlotSize = this.nextRank;
    }
    return this.rankToSlotCache;
  }

  private wordCandidates(token: string, asPrefix: boolean): WordCandidate[] {
    const out = new Map<number, WordCandidate>();
    const add = (c: WordCandidate) => {
      const prev = out.get(c.word);
      if (!prev || c.score > prev.score) out.set(c.word, c);
    };
    const exact = this.wordIds.get(token);
    if (exact !== undefined && this.postings[exact]!.length) add({ word: exact, score: 1, match: 'exact' });
    if (asPrefix && token.length >= 2) {
      for (const w of this.wordsWithPrefix(token, MAX_PREFIX_WORDS)) if (w !== exact && this.postings[w]!.length) add({ word: w, score: 0.85 + 0.1 * (token.length / this.words[w]!.length), match: 'prefix' });
    }
    if (token.length >= 3 && out.size < FUZZY_WHEN_FEWER) {
      const qGrams = [...new Set(trigrams(token))];
      const counts = this.gramCountsFor(this.words.length);
      const shared: number[] = [];
      for (const g of qGrams) {
        for (const w of this.wordsByTrigram.get(g) ?? []) {
          if (counts[w] === 0) shared.push(w);
          counts[w]!++;
        }
      }
      const qLen = trigrams(token).length;
      for (const w of shared) {
        const common = counts[w]!;
        counts[w] = 0;
        if (out.has(w) || !this.postings[w]!.length) continue;
        // Compare against the word's start too, so a typo inside a word being typed still finds it.
        const full = (2 * common) / (qLen + this.wordGrams[w]!);
        const head = asPrefix && this.words[w]!.length > token.length ? (2 * common) / (qLen * 2) : 0;
        const sim = Math.max(full, head);
        if (sim >= MIN_FUZZY) add({ word: w, score: 0.5 * sim, match: 'fuzzy' });
      }
    }
    return [...out.values()];
  }

  private gramCountsFor(n: number): Uint16Array {
    if (this.gramCounts.length < n) this.gramCounts = new Uint16Array(Math.max(n, this.gramCounts.length * 2, 64));
    return this.gramCounts;
  }

  private wordOf(word: string): number {
    let id = this.wordIds.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.wordIds.set(word, id);
      this.words.push(word);
      this.postings.push([]);
      const grams = trigrams(word);
      this.wordGrams.push(grams.length);
      for (const g of new Set(grams)) {
        let list = this.wordsByTrigram.get(g);
        if (!list) this.wordsByTrigram.set(g, (list = []));
        list.push(id);
      }
      this.sortedWords = null;
    }
    return id;
  }

  private wordsWithPrefix(prefix: string, max: number): number[] {
    if (!this.sortedWords) {
      const words = this.words;
      this.sortedWords = words.map((_, i) => i).sort((a, b) => (words[a]! < words[b]! ? -1 : words[a]! > words[b]! ? 1 : 0));
    }
    const sorted = this.sortedWords;
    const words = this.words;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < sorted.length && out.length < max && words[sorted[i]!]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  /** Codes starting with the prefix (at most MAX_CODE_PREFIX distinct), from the frozen arrays and the live map. */
  private forEachCodeWithPrefix(prefix: string, visit: (code: string, slot: number) => void): void {
    const frozen = this.frozenCodes;
    let lo = 0;
    let hi = frozen.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (frozen[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    let distinct = 0;
    for (let i = lo; i < frozen.length && frozen[i]!.startsWith(prefix); i++) {
      if (i === lo || frozen[i] !== frozen[i - 1]) distinct++;
      if (distinct > MAX_CODE_PREFIX) break;
      const slot = this.frozenCodeSlots[i]!;
      if (this.flags.data[slot] !== 2) visit(frozen[i]!, slot);
    }
    if (!this.codes.size) return;
    this.sortedCodes ??= [...this.codes.keys()].sort();
    const live = this.sortedCodes;
    lo = 0;
    hi = live.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (live[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo, n = 0; i < live.length && n < MAX_CODE_PREFIX && live[i]!.startsWith(prefix); i++, n++) {
      const at = this.codes.get(live[i]!)!;
      for (const slot of typeof at === 'number' ? [at] : at) visit(live[i]!, slot);
    }
  }
}

/** A document's distinct words: its title's and its extra text's. */
function wordsOf(titleWords: string[], text: string | undefined): Set<string> {
  const words = new Set(titleWords);
  if (text) for (const w of tokenize(text)) words.add(w);
  return words;
}

const MATCHES: SearchHit['match'][] = ['code', 'exact', 'prefix', 'fuzzy'];
/** Packing of (score, title rank) into one exact integer below 2^53: 2^21 ranks × 2^31 score steps. */
const RANK_SPAN = 2 ** 21;
const SCORE_SPAN = 2 ** 31;
const RANK = { code: 1, exact: 2, prefix: 3, fuzzy: 4 } as const;
