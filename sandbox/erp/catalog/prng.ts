/**
 * Seeded pseudo-random numbers for the catalog generator. Everything the generator produces is a pure function of
 * (seed, what, index), so product #73 412 of a 100 000-SKU catalog can be produced without producing the 73 411
 * before it: the generator stays lazy and memory-lean, and two runs with the same seed give identical catalogs.
 */

/** FNV-1a over the text, then a murmur3 finalizer: a well-spread 32-bit seed from any string. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small deterministic random source (mulberry32) with the helpers the generator needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(...parts: Array<string | number>): Rng {
    return new Rng(hashSeed(...parts));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index chosen with the given relative weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return out.slice(0, chars);
  }

  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

/**
 * A GUID shaped like the ones 1C writes for Ref_Key (time-based v1 layout with the "11e…" time-high part and one node
 * id per infobase, e.g. `68c21aea-cd73-11e6-aede-5404a6b4b8ed`), derived from (seed, kind, index).
 */
export function makeGuid(seed: string | number, kind: string, index: number): string {
  const r = Rng.of(seed, 'guid', kind, index);
  const node = Rng.of(seed, 'node').hex(12);
  const clock = (0x8000 | r.int(0, 0x3fff)).toString(16);
  return `${r.hex(8)}-${r.hex(4)}-11e${r.int(5, 9)}-${clock}-${node}`;
}

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
