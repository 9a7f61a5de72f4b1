/** A Map that forgets its least recently used entries past a capacity (Map keeps insertion order; a hit re-inserts). */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  resize(capacity: number): void {
    this.capacity = Math.max(1, capacity);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}
