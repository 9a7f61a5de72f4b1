import { createHash } from 'node:crypto';

/**
 * The key → DataVersion map a 1C catalog pull compares against (erp-integration.md §1 «Change detection»: DataVersion
 * changes on every write but can only be compared for equality). To keep the cursor small it stores hashes: 8 bytes
 * of the key and 4 of the version, 12 bytes per item (≈1.6 MB of base64 for 100 000 items). A changed key is found by
 * the next key scan, which has the real Ref_Key; hashes never need to be reversed.
 */
export class VersionMap {
  private readonly entries: Map<string, number>;

  constructor(entries?: Map<string, number>) {
    this.entries = entries ?? new Map();
  }

  static keyHash(ref: string): string {
    return createHash('sha1').update(ref.toLowerCase()).digest('hex').slice(0, 16);
  }

  static versionHash(version: string): number {
    return createHash('sha1').update(version).digest().readUInt32BE(0);
  }

  get size(): number {
    return this.entries.size;
  }

  set(ref: string, version: string): void {
    this.entries.set(VersionMap.keyHash(ref), VersionMap.versionHash(version));
  }

  /** True when the key is unknown or its version differs. */
  changed(ref: string, version: string): boolean {
    return this.entries.get(VersionMap.keyHash(ref)) !== VersionMap.versionHash(version);
  }

  encode(): string {
    const keys = [...this.entries.keys()].sort();
    const buf = Buffer.alloc(keys.length * 12);
    keys.forEach((k, i) => {
      buf.write(k, i * 12, 8, 'hex');
      buf.writeUInt32BE(this.entries.get(k) as number, i * 12 + 8);
    });
    return buf.toString('base64');
  }

  static decode(text: string): VersionMap {
    const buf = Buffer.from(text, 'base64');
    if (buf.length % 12 !== 0) throw new Error('version map is corrupt');
    const entries = new Map<string, number>();
    for (let i = 0; i < buf.length; i += 12) entries.set(buf.toString('hex', i, i + 8), buf.readUInt32BE(i + 8));
    return new VersionMap(entries);
  }
}
