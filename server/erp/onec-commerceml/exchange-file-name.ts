import { resolve, sep } from 'node:path';

/**
 * File names 1C sends in `mode=file&filename=…` (and inside archives) are relative paths such as `import.xml`,
 * `goods/1/prices.xml` or `import_files/5a/5a1b….jpg`. Anything that could leave the session directory is refused:
 * absolute paths, drive letters, `.`/`..` segments, empty segments, control characters.
 */
export class ExchangeFileNameError extends Error {
  constructor(readonly fileName: string, reason: string) {
    super(`file name "${fileName.slice(0, 120)}" is not allowed: ${reason}`);
    this.name = 'ExchangeFileNameError';
  }
}

export function resolveExchangeFile(baseDir: string, rawName: string): { relative: string; absolute: string } {
  const name = rawName.replace(/\\/g, '/');
  if (!name) throw new ExchangeFileNameError(rawName, 'empty');
  if (name.length > 255) throw new ExchangeFileNameError(rawName, 'longer than 255 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ExchangeFileNameError(rawName, 'control characters');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ExchangeFileNameError(rawName, 'absolute path');
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new ExchangeFileNameError(rawName, 'empty, "." or ".." path segment');
  const base = resolve(baseDir);
  const absolute = resolve(base, ...segments);
  if (!absolute.startsWith(base + sep)) throw new ExchangeFileNameError(rawName, 'outside the exchange directory');
  return { relative: segments.join('/'), absolute };
}
