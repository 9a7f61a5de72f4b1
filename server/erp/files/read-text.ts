import iconv from 'iconv-lite';

/**
 * Text of a file an ERP exported: UTF-8 with or without BOM, or windows-1251 (what 1C, AX and Excel on Russian Windows
 * write). UTF-8 is tried strictly first; bytes that are not valid UTF-8 are read as windows-1251.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1251' } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'windows-1251'), encoding: 'windows-1251' };
  }
}
