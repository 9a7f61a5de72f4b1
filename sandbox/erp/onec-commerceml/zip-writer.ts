import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import zlib from 'node:zlib';

/**
 * A minimal zip writer (PKWARE APPNOTE 6.3.x: local headers, deflate, data descriptors, central directory, no zip64)
 * for the 1C emulator's `zip=yes` uploads and for test samples. Entries are streamed from files, so archives of large
 * exchange files are written without holding them in memory. Limited to archives under 4 GiB.
 */

const DOS_DATE = (d: Date) => (((d.getFullYear() - 1980) & 0x7f) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
const DOS_TIME = (d: Date) => (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2);

export interface ZipSource {
  /** Name inside the archive ("import.xml", "goods/1/prices.xml"). */
  name: string;
  /** A file to read, or the bytes themselves. */
  path?: string;
  data?: Buffer;
}

export async function writeZip(target: string, sources: ZipSource[], now = new Date()): Promise<number> {
  const out = createWriteStream(target);
  let offset = 0;
  const write = async (b: Buffer) => {
    offset += b.length;
    if (!out.write(b)) await once(out, 'drain');
  };
  const central: Buffer[] = [];
  for (const src of sources) {
    const name = Buffer.from(src.name, 'utf8');
    const headerOffset = offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME(now), 10);
    local.writeUInt16LE(DOS_DATE(now), 12);
    local.writeUInt16LE(name.length, 26);
    await write(Buffer.concat([local, name]));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const deflate = zlib.createDeflateRaw({ level: 6 });
    const pump = (async () => {
      for await (const chunk of deflate) {
        compressed += (chunk as Buffer).length;
        await write(chunk as Buffer);
      }
    })();
    const input = src.data ? [src.data] : createReadStream(src.path as string, { highWaterMark: 256 * 1024 });
    for await (const chunk of input) {
      const b = chunk as Buffer;
      crc = zlib.crc32(b, crc);
      size += b.length;
      if (!deflate.write(b)) await once(deflate, 'drain');
    }
    deflate.end();
    await pump;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await write(descriptor);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0808, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(DOS_TIME(now), 12);
    entry.writeUInt16LE(DOS_DATE(now), 14);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(compressed, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(headerOffset, 42);
    central.push(Buffer.concat([entry, name]));
  }
  const cdOffset = offset;
  const cd = Buffer.concat(central);
  await write(cd);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sources.length, 8);
  end.writeUInt16LE(sources.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  await write(end);
  out.end();
  await once(out, 'finish');
  return (await stat(target)).size;
}
