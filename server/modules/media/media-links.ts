import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

/**
 * Signed, expiring addresses for files the browser loads by itself: an <img> or a download link cannot send the
 * session header our API wants, so the API hands out an address that proves it was issued to a viewer who could see
 * the thing, for a while. The signature covers the path and the expiry; the key is the app's secret key with a
 * purpose of its own, so no other signature of the app can be replayed here.
 *
 * Picture links expire at the end of the next six-hour window: every page of the catalog within a window gets the
 * same address for a picture, so the browser's cache keeps working. Their signature covers the portal's pictures as a
 * whole, not one picture: a catalog page lists 50 of them per request at hundreds of requests a second, and pictures
 * are no secret from someone who may browse that portal's catalog; documents are signed one by one.
 */

const PURPOSE = 'dealerhub-media-v1';
export const PICTURE_WINDOW_S = 6 * 3600;
export const DOCUMENT_LINK_S = 30 * 60;

export interface MediaLinks {
  picture(portalId: number, productId: number, n: number): string;
  document(portalId: number, documentId: number): string;
  /** Whether `path` with this expiry and signature is a valid link now. */
  verify(path: string, expires: string | undefined, signature: string | undefined): 'ok' | 'expired' | 'invalid';
}

export function createMediaLinks(secretKey: Buffer, now: () => number = Date.now): MediaLinks {
  const sign = (path: string, expires: number) => createHmac('sha256', secretKey).update(PURPOSE).update('\n').update(path).update('\n').update(String(expires)).digest('base64url');
  const picturesScope = (portalId: number) => `/media/pictures/${portalId}/*`;
  const link = (path: string, expires: number) => `${path}?e=${expires}&s=${sign(path, expires)}`;

  // One signature per portal and window: a picture's address is then a string join, cheap on every catalog page.
  let window = -1;
  let byPortal = new Map<number, string>();
  const pictureQuery = (portalId: number) => {
    const current = Math.floor(now() / 1000 / PICTURE_WINDOW_S);
    if (current !== window) {
      window = current;
      byPortal = new Map();
    }
    let query = byPortal.get(portalId);
    if (!query) {
      const expires = (current + 2) * PICTURE_WINDOW_S;
      query = `?e=${expires}&s=${sign(picturesScope(portalId), expires)}`;
      byPortal.set(portalId, query);
    }
    return query;
  };
  return {
    picture(portalId, productId, n) {
      return `/media/pictures/${portalId}/${productId}/${n}${pictureQuery(portalId)}`;
    },
    document(portalId, documentId) {
      return link(`/media/documents/${portalId}/${documentId}`, Math.ceil(now() / 1000) + DOCUMENT_LINK_S);
    },
    verify(path, expires, signature) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
      const picture = /^\/media\/pictures\/(\d+)\/\d+\/\d+$/.exec(path);
      const scope = picture ? picturesScope(Number(picture[1])) : path;
      if (!safeEqual(signature, sign(scope, Number(expires)))) return 'invalid';
      return Number(expires) * 1000 < now() ? 'expired' : 'ok';
    },
  };
}

const linksByKey = new WeakMap<Buffer, MediaLinks>();

/** The links of an app's secret key (one per process and key). */
export function mediaLinksFor(secretKey: Buffer): MediaLinks {
  let links = linksByKey.get(secretKey);
  if (!links) linksByKey.set(secretKey, (links = createMediaLinks(secretKey)));
  return links;
}
