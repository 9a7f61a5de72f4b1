import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import iconv from 'iconv-lite';

/** Writes XML text to a file in UTF-8 (with BOM, as 1C does) or windows-1251, with backpressure. */
export async function openXmlFile(path: string, encoding: 'utf-8' | 'windows-1251') {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let pending = '';
  const encode = (s: string) => (encoding === 'utf-8' ? Buffer.from(s, 'utf8') : iconv.encode(s, 'windows-1251'));
  if (encoding === 'utf-8') out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  const flush = async () => {
    if (!pending) return;
    const chunk = encode(pending);
    pending = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  return {
    async write(text: string): Promise<void> {
      pending += text;
      if (pending.length >= 64 * 1024) await flush();
    },
    async end(): Promise<void> {
      await flush();
      out.end();
      await once(out, 'finish');
    },
  };
}

export const xmlDeclaration = (encoding: 'utf-8' | 'windows-1251') => `<?xml version="1.0" encoding="${encoding === 'utf-8' ? 'UTF-8' : 'windows-1251'}"?>\n`;

export function esc(value: string | number): string {
  return String(value).replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));
}

export const tag = (name: string, value: string | number | undefined | null) => (value === undefined || value === null || value === '' ? '' : `<${name}>${esc(value)}</${name}>`);
