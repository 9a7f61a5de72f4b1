/**
 * Only addresses a browser can load: the catalog API gives signed /media links or the ERP's own http(s) URLs; anything
 * else (a bare file name from an older API answer) would load relative to the page and only produce 404s.
 */
export function loadableUrl(src: string | null): string | null {
  return src && /^(https?:\/\/|\/|data:image\/)/i.test(src) ? src : null;
}
