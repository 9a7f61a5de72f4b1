/**
 * What a file the ERP hands over really is. Pictures and scans are served to browsers, so the type comes from the
 * bytes first (an ERP's extension can be wrong or missing, and a file named .jpg must not reach an <img> as HTML);
 * the name only decides between types the bytes cannot tell apart (a zip is also a .docx or .xlsx).
 */

const BY_EXTENSION: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const startsWith = (b: Uint8Array, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** The content type the bytes prove, or null when they prove nothing we know. */
export function sniffContentType(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  return null;
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/**
 * The type to serve a file as: what its bytes prove (a zip refined to .docx/.xlsx by its name), else a plain
 * download. A name alone never makes a file an image or a PDF: HTML named .jpg stays octet-stream.
 */
export function contentTypeOf(bytes: Uint8Array, fileName: string): string {
  const sniffed = sniffContentType(bytes);
  const byName = BY_EXTENSION[extensionOf(fileName)];
  if (sniffed === 'application/zip' && byName && /officedocument/.test(byName)) return byName;
  return sniffed ?? 'application/octet-stream';
}

export const isImageType = (type: string) => /^image\/(png|jpeg|gif|webp)$/.test(type);
