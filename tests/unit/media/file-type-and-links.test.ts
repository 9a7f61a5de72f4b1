import { describe, expect, it } from 'vitest';
import { renderDocumentPdf, renderProductPicture } from '../../../sandbox/erp/catalog/index.js';
import { contentTypeOf, isImageType, sniffContentType } from '../../../server/erp/file-type.js';
import { createMediaLinks, PICTURE_WINDOW_S } from '../../../server/modules/media/media-links.js';

describe('ERP file types come from the bytes', () => {
  const png = renderProductPicture('SKU-1', 'tool', 0);
  const pdf = renderDocumentPdf(['Invoice 1']);
  const html = Buffer.from('<html><script>alert(1)</script></html>');
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);

  it('when bytes are a PNG, a JPEG, a PDF, then that is the type whatever the name says', () => {
    expect(contentTypeOf(png, 'photo.jpg')).toBe('image/png');
    expect(contentTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]), 'x')).toBe('image/jpeg');
    expect(contentTypeOf(pdf, 'scan.bin')).toBe('application/pdf');
    expect(isImageType(contentTypeOf(png, 'a.png'))).toBe(true);
  });

  it('when bytes prove nothing, then a name never makes them an image or a PDF', () => {
    expect(sniffContentType(html)).toBeNull();
    expect(contentTypeOf(html, 'evil.jpg')).toBe('application/octet-stream');
    expect(contentTypeOf(html, 'evil.pdf')).toBe('application/octet-stream');
    expect(contentTypeOf(html, 'evil.html')).toBe('application/octet-stream');
  });

  it('when a zip is named .xlsx or .docx, then it is served as that office type; otherwise as a zip', () => {
    expect(contentTypeOf(zip, 'act.xlsx')).toMatch(/spreadsheetml/);
    expect(contentTypeOf(zip, 'act.docx')).toMatch(/wordprocessingml/);
    expect(contentTypeOf(zip, 'act.zip')).toBe('application/zip');
  });
});

describe('signed media links', () => {
  const key = Buffer.alloc(32, 1);

  it('when a picture link is made twice in one window, then it is the same address; in the next window it changes and still verifies', () => {
    let now = Date.UTC(2026, 10, 23, 1, 0, 0);
    const links = createMediaLinks(key, () => now);
    const a = links.picture(1, 42, 0);
    expect(links.picture(1, 42, 0)).toBe(a);
    now += PICTURE_WINDOW_S * 1000;
    const b = links.picture(1, 42, 0);
    expect(b).not.toBe(a);
    // The older address stays good to the end of its second window: pages opened just before the turn keep working.
    for (const url of [a, b]) {
      const [path, query] = url.split('?') as [string, string];
      const q = new URLSearchParams(query);
      expect(links.verify(path, q.get('e') ?? undefined, q.get('s') ?? undefined)).toBe('ok');
    }
  });

  it('when a link is expired, altered or made with another key, then it does not verify', () => {
    let now = Date.UTC(2026, 10, 23, 1, 0, 0);
    const links = createMediaLinks(key, () => now);
    const [path, query] = links.document(3, 9).split('?') as [string, string];
    const q = new URLSearchParams(query);
    const e = q.get('e') ?? undefined;
    const s = q.get('s') ?? undefined;
    expect(links.verify(path, e, s)).toBe('ok');
    expect(links.verify('/media/documents/3/10', e, s)).toBe('invalid');
    expect(links.verify(path, String(Number(e) + 60), s)).toBe('invalid');
    expect(links.verify(path, e, undefined)).toBe('invalid');
    expect(createMediaLinks(Buffer.alloc(32, 2), () => now).verify(path, e, s)).toBe('invalid');
    now += 31 * 60_000;
    expect(links.verify(path, e, s)).toBe('expired');
  });
});
