/**
 * Only addresses a browser can load: the ERP sends bare file names ("B18-002800E_1.jpg") until the catalog serves
 * pictures, and loading those relative to the page would only produce 404/405s.
 */
export function loadableUrl(src: string | null): string | null {
  return src && /^(https?:\/\/|\/|data:image\/)/i.test(src) ? src : null;
}
