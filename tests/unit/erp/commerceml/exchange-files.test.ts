import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExchangeFileNameError, resolveExchangeFile } from '../../../../server/erp/onec-commerceml/exchange-file-name.js';
import { forEachZipEntry, unzipToDir, ZipLimitError } from '../../../../server/erp/onec-commerceml/zip-entries.js';
import { hashExchangePassword, portalExchangeCredentials, setExchangeCredentials, verifyExchangePassword } from '../../../../server/erp/onec-commerceml/exchange-credentials.js';
import { writeZip } from '../../../../sandbox/erp/onec-commerceml/index.js';
import { createTestContext } from '../../../support/context.js';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'dh-cml-unit-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('exchange file names', () => {
  it('when names stay inside the session directory, then they resolve there; anything that could leave is refused', () => {
    expect(resolveExchangeFile('/srv/x', 'import.xml')).toEqual({ relative: 'import.xml', absolute: '/srv/x/import.xml' });
    expect(resolveExchangeFile('/srv/x', 'goods\\1\\prices___a.xml').relative).toBe('goods/1/prices___a.xml');
    for (const bad of ['', '../a', 'a/../../b', '/etc/passwd', 'C:\\a', 'a//b', './a', 'a/.', 'x\u0000', 'a\nb', 'x'.repeat(300)]) {
      expect(() => resolveExchangeFile('/srv/x', bad), JSON.stringify(bad)).toThrow(ExchangeFileNameError);
    }
  });
});

describe('zip archives', () => {
  it('when an archive is written and read back, then entries come in order with their bytes', async () => {
    const dir = await tmp();
    const zip = join(dir, 'a.zip');
    const big = Buffer.from('Товар;'.repeat(40_000));
    await writeFile(join(dir, 'big.txt'), big);
    await writeZip(zip, [{ name: 'import.xml', data: Buffer.from('<a>привет</a>') }, { name: 'goods/1/big.txt', path: join(dir, 'big.txt') }]);
    const seen: Array<[string, number]> = [];
    await forEachZipEntry(zip, async (e, open) => {
      const chunks: Buffer[] = [];
      for await (const c of await open()) chunks.push(c as Buffer);
      seen.push([e.fileName, Buffer.concat(chunks).length]);
    });
    expect(seen).toEqual([['import.xml', Buffer.byteLength('<a>привет</a>')], ['goods/1/big.txt', big.length]]);
    const out = join(dir, 'out');
    expect(await unzipToDir(zip, out)).toEqual(['import.xml', 'goods/1/big.txt']);
    expect(await readFile(join(out, 'goods/1/big.txt'))).toEqual(big);
  });

  it('when an entry name climbs out or the archive is over its caps, then unpacking stops and writes nothing outside', async () => {
    const dir = await tmp();
    const zip = join(dir, 'evil.zip');
    await writeZip(zip, [{ name: '../evil.txt', data: Buffer.from('x') }]);
    const out = join(dir, 'out');
    await expect(unzipToDir(zip, out)).rejects.toThrow();
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    const two = join(dir, 'two.zip');
    await writeZip(two, [{ name: 'a.xml', data: Buffer.from('a') }, { name: 'b.xml', data: Buffer.from('b') }]);
    await expect(unzipToDir(two, join(dir, 'o2'), { maxEntries: 1 })).rejects.toBeInstanceOf(ZipLimitError);
    await expect(unzipToDir(two, join(dir, 'o3'), { maxTotalBytes: 1 })).rejects.toBeInstanceOf(ZipLimitError);
    expect(existsSync(join(dir, 'o3', 'b.xml'))).toBe(false);
    expect(await readdir(dir)).not.toContain('evil.txt');
    expect(await readdir(join(dir, '..'))).not.toContain('evil.txt');
  });
});

describe('exchange credentials', () => {
  it('when a password is hashed, then only that password verifies and the hash is not the password', async () => {
    const hash = await hashExchangePassword('Obmen-2026!');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('Obmen');
    expect(await verifyExchangePassword('Obmen-2026!', hash)).toBe(true);
    expect(await verifyExchangePassword('obmen-2026!', hash)).toBe(false);
    // Flip the first character of the hash part (the last one may only carry base64 padding bits).
    const parts = hash.split('$');
    const h = parts[5] as string;
    parts[5] = `${h[0] === 'A' ? 'B' : 'A'}${h.slice(1)}`;
    expect(await verifyExchangePassword('Obmen-2026!', parts.join('$'))).toBe(false);
    await expect(hashExchangePassword('short')).rejects.toThrow(/8 characters/);
  });

  it('when credentials are set for a portal, then they live under erp.exchange beside other erp settings and check by member_id', async () => {
    const t = await createTestContext({ LOG_LEVEL: 'silent' });
    try {
      const { portal } = await t.ctx.portals.upsertInstalled({ memberId: 'm-cred', domain: 'a.bitrix24.ru', protocol: 'https' });
      await t.ctx.portals.patchSettings(portal.id, { erp: { kind: '1c-commerceml', cursors: { products: 'x' } }, other: 1 });
      await setExchangeCredentials(t.ctx.portals, portal.id, { login: 'exchange', password: 'Secret-123' });
      const settings = (await t.ctx.portals.findById(portal.id))?.settings as { erp: Record<string, unknown>; other: number };
      expect(settings.other).toBe(1);
      expect(settings.erp['kind']).toBe('1c-commerceml');
      expect(settings.erp['cursors']).toEqual({ products: 'x' });
      expect(settings.erp['exchange']).toMatchObject({ login: 'exchange', passwordHash: expect.stringMatching(/^scrypt\$/) });
      expect(JSON.stringify(settings)).not.toContain('Secret-123');
      const creds = await portalExchangeCredentials(t.ctx.portals)('m-cred');
      expect(creds?.login).toBe('exchange');
      expect(await creds?.passwordCheck('Secret-123')).toBe(true);
      expect(await creds?.passwordCheck('Secret-124')).toBe(false);
      expect(await portalExchangeCredentials(t.ctx.portals)('unknown')).toBeNull();
    } finally {
      await t.close();
    }
  });
});
