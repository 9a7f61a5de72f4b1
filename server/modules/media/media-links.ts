import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.js';

/**
 * Signed, expiring addresses for files the browser loads by itself: an <img> or a download link cannot send the
 * session header our API wants, so the API hands out an address that proves it was issued to a viewer who could see
 * the thing, for a while. The signature covers the path and the expiry; the key is the app's secret key with a
 * purpose of its own, so no other signature of the app can be replayed here.
 *
 * Picture links expire at the end of the next six-hour window: every page of the catalog within a window gets the
 * same address for a picture, so the browser's cache keeps working.
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
  const link = (path: string, expires: number) => `${path}?e=${expires}&s=${sign(path, expires)}`;

  // One address per picture and window: hashing the same 50 addresses for every catalog page would be waste.
  let window = -1;
  let cache = new Map<string, string>();
  return {
    picture(portalId, productId, n) {
      const current = Math.floor(now() / 1000 / PICTURE_WINDOW_S);
      if (current !== window) {
        window = current;
        cache = new Map();
      }
      const path = `/media/pictures/${portalId}/${productId}/${n}`;
      let url = cache.get(path);
      if (!url) {
        url = link(path, (current + 2) * PICTURE_WINDOW_S);
        if (cache.size > 500_000) cache.clear();
        cache.set(path, url);
      }
      return url;
    },
    document(portalId, documentId) {
      return link(`/media/documents/${portalId}/${documentId}`, Math.ceil(now() / 1000) + DOCUMENT_LINK_S);
    },
    verify(path, expires, signature) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
      if (!safeEqual(signature, sign(path, Number(expires)))) return 'invalid';
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
