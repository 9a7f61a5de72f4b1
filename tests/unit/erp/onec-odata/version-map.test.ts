import { describe, expect, it } from 'vitest';
import { VersionMap } from '../../../../server/erp/onec-odata/version-map.js';

describe('DataVersion map for version-compare pulls', () => {
  it('when encoded and decoded, then every key keeps its version and changes are detected', () => {
    const m = new VersionMap();
    const keys = Array.from({ length: 1000 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    keys.forEach((k, i) => m.set(k, `AAAA${i}AAAAA=`));
    const back = VersionMap.decode(m.encode());
    expect(back.size).toBe(1000);
    expect(back.changed(keys[5] as string, 'AAAA5AAAAA=')).toBe(false);
    expect(back.changed((keys[5] as string).toUpperCase(), 'AAAA5AAAAA=')).toBe(false);
    expect(back.changed(keys[5] as string, 'AAAA6AAAAA=')).toBe(true);
    expect(back.changed('11111111-0000-0000-0000-000000000000', 'AAAA5AAAAA=')).toBe(true);
    expect(Buffer.from(m.encode(), 'base64').length).toBe(12_000);
    expect(() => VersionMap.decode('AAAA')).toThrow(/corrupt/);
  });
});
