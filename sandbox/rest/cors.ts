import type { NextFunction, Request, Response } from 'express';

/**
 * Browser calls to REST. An app frame runs on the app's own origin and the official SDK (B24Frame) posts JSON with
 * `auth` straight to `https://{portal}/rest/{method}` — a cross-origin request with a preflight (Content-Type:
 * application/json). Neither the REST docs nor the SDK state the portal's CORS headers; since the SDK's frame works on
 * real portals, the cloud must allow such calls. The sandbox answers any origin (`*`, no cookies: REST auth travels in
 * the request, never in cookies) and lets preflights through with the headers the browser asked for.
 */
export function restCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  const asked = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', typeof asked === 'string' && asked ? asked : 'Content-Type, Authorization');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}
