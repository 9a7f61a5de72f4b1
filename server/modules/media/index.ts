/** Media: product pictures and document files from the ERP, at signed expiring addresses, cached on disk. */
export { mediaRoutes, type MediaDeps } from './media.routes.js';
export { createMediaCache, type MediaCache } from './media-cache.js';
export { createMediaLinks, mediaLinksFor, type MediaLinks } from './media-links.js';
