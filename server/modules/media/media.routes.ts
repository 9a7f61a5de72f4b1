import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { isImageType } from '../../erp/file-type.js';
import { isErpError, type ErpConnector, type ErpFile, type ErpInboundFeed } from '../../erp/port.js';
import { AppError } from '../../http/app-error.js';
import { parse } from '../../http/validate.js';
import { selectRows } from '../../jobs/sql.js';
import { catalogFor } from '../catalog/index.js';
import { FileTooLargeError, type CachedFile, type MediaCache } from './media-cache.js';
import { mediaLinksFor } from './media-links.js';

/**
 * Product pictures and document files from the ERP, at the signed addresses the catalog and order APIs hand out
 * (media-links.ts). The signature is the permission: these routes take no session, because an <img> or a download
 * link cannot send one. The bytes come from the portal's ERP (a pulling connector, or the files 1C pushed through
 * CommerceML) through the disk cache, and go out as the type their bytes prove, never sniffed by the browser.
 */

export interface MediaDeps {
  connectorFor(portalId: number): Promise<ErpConnector | null> | ErpConnector | null;
  feed: ErpInboundFeed | null;
  cache: MediaCache;
}

const ZPictureParams = z.object({ portalId: z.coerce.number().int().positive(), productId: z.coerce.number().int().positive(), n: z.coerce.number().int().min(0).max(99) });
const ZDocumentParams = z.object({ portalId: z.coerce.number().int().positive(), documentId: z.coerce.number().int().positive() });
const ZLinkQuery = z.object({ e: z.string().optional(), s: z.string().optional() });

/** RFC 6266 / 5987: an ASCII fallback and the real (Cyrillic) name. */
const dispositionOf = (kind: 'inline' | 'attachment', fileName: string) =>
  `${kind}; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

function send(res: Response, file: CachedFile, maxAgeS: number, disposition: 'inline' | 'attachment') {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', file.bytes.length);
  res.setHeader('Content-Disposition', dispositionOf(disposition, file.fileName));
  res.setHeader('Cache-Control', `private, max-age=${Math.max(0, maxAgeS)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(file.bytes);
}

/** ERP failures in words a person can act on; the adapter's own message stays in the log. */
function fromErp(err: unknown, what: string): never {
  if (err instanceof FileTooLargeError) throw new AppError('UPSTREAM_FAILED', `The ${what} in the ERP is too large to show`, { cause: err });
  if (!isErpError(err)) throw err;
  if (err.kind === 'not-found') throw new AppError('NOT_FOUND', `The ERP no longer has this ${what}`, { cause: err });
  if (err.kind === 'unsupported') throw new AppError('NOT_FOUND', `The ERP does not give this ${what} to DealerHub: ${err.message}`, { cause: err });
  if (err.retryable) throw new AppError('UNAVAILABLE', `The ERP is not answering; try again in a minute`, { cause: err });
  throw new AppError('UPSTREAM_FAILED', `The ERP refused to give the ${what}`, { cause: err });
}

export function mediaRoutes(ctx: AppContext, deps: MediaDeps): Router {
  const router = Router();
  const links = mediaLinksFor(ctx.config.app.secretKey);

  function checkLink(path: string, query: unknown): number {
    const q = parse(ZLinkQuery, query);
    const verdict = links.verify(path, q.e, q.s);
    if (verdict === 'expired') throw new AppError('FORBIDDEN', 'This link has expired; reload the page to get a fresh one');
    if (verdict !== 'ok') throw new AppError('FORBIDDEN', 'This link is not valid');
    return Number(q.e);
  }
  const secondsUntil = (expires: number) => expires - Math.floor(Date.now() / 1000);

  router.get('/media/pictures/:portalId/:productId/:n', async (req, res) => {
    const { portalId, productId, n } = parse(ZPictureParams, req.params);
    const expires = checkLink(`/media/pictures/${portalId}/${productId}/${n}`, req.query);
    const catalog = await catalogFor(ctx, portalId);
    const slot = catalog.snapshot?.index.slotOf(productId);
    const key = slot === undefined ? undefined : catalog.snapshot?.index.products[slot]?.pictures[n];
    if (!key) throw new AppError('NOT_FOUND', 'The product has no such picture');
    if (/^https?:\/\//i.test(key)) return res.redirect(302, key);
    const connector = await deps.connectorFor(portalId);
    const fetch = (): Promise<ErpFile> => {
      if (connector?.capabilities.productPictures && connector.productPicture) return connector.productPicture(key);
      if (deps.feed?.productPicture) return deps.feed.productPicture(portalId, key);
      return Promise.reject(new AppError('NOT_FOUND', 'The ERP of this portal gives no pictures'));
    };
    const file = await deps.cache.get(portalId, 'picture', key, fetch).catch((err: unknown) => fromErp(err, 'picture'));
    if (!isImageType(file.contentType)) throw new AppError('UPSTREAM_FAILED', 'The ERP’s file for this picture is not an image');
    send(res, file, secondsUntil(expires), 'inline');
  });

  router.get('/media/documents/:portalId/:documentId', async (req, res) => {
    const { portalId, documentId } = parse(ZDocumentParams, req.params);
    const expires = checkLink(`/media/documents/${portalId}/${documentId}`, req.query);
    const [doc] = await selectRows<{ erp_id: string; number: string; has_file: unknown }>(ctx.db,
      'SELECT erp_id, number, has_file FROM erp_documents WHERE id = :documentId AND portal_id = :portalId', { documentId, portalId });
    if (!doc || !Number(doc.has_file)) throw new AppError('NOT_FOUND', 'This document has no file');
    const connector = await deps.connectorFor(portalId);
    if (!connector?.capabilities.documentFiles || !connector.documentFile) throw new AppError('NOT_FOUND', 'The ERP of this portal gives no document files');
    const documentFile = connector.documentFile.bind(connector);
    const file = await deps.cache.get(portalId, 'document', doc.erp_id, () => documentFile({ erpId: doc.erp_id, code: doc.number }))
      .catch((err: unknown) => fromErp(err, 'document file'));
    // A PDF opens in the browser's viewer; anything else is saved, never rendered from our origin.
    send(res, file, secondsUntil(expires), file.contentType === 'application/pdf' ? 'inline' : 'attachment');
  });

  return router;
}
