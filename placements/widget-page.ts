import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Response } from 'express';
import type { Portal } from '../server/modules/portals/index.js';

/** Where `vite build` puts the widgets (vite.config.ts outDir). */
export const WIDGETS_DIST_DIR = resolve(import.meta.dirname, '..', 'dist', 'widgets');

/**
 * What a widget page gets in `<script id="dh-bootstrap" type="application/json">` (widgets/src/shell/bootstrap.ts
 * reads it): the signed session for /api and the context of the card. Never a Bitrix24 token.
 */
export interface WidgetBootstrap {
  session: string;
  sessionExpiresAt: number;
  lang: 'ru' | 'en';
  widget: string;
  placement: string;
  placementOptions: Record<string, unknown>;
  user: { id: number; name: string; role: string; dealerId: number | null };
  permissions: string[];
  dealer: { itemId: number; title: string } | null;
  portal: { domain: string; memberId: string; origin: string };
  actingAs: { userId: number; name: string } | null;
}

const templates = new Map<string, { mtimeMs: number; html: string }>();

export class WidgetNotBuiltError extends Error {
  constructor(entry: string) {
    super(`the widget page "${entry}" is not built (run npm run build:widgets)`);
    this.name = 'WidgetNotBuiltError';
  }
}

/** The built page of an entry, re-read when the file changes (a rebuild while running). */
export function loadWidgetTemplate(entry: string, distDir = WIDGETS_DIST_DIR): string {
  if (!/^[a-z][a-z-]*$/.test(entry)) throw new WidgetNotBuiltError(entry);
  const file = resolve(distDir, 'pages', `${entry}.html`);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    throw new WidgetNotBuiltError(entry);
  }
  const hit = templates.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.html;
  const html = readFileSync(file, 'utf8');
  templates.set(file, { mtimeMs, html });
  return html;
}

/**
 * JSON safe inside a <script> element: `<` (so no `</script>` or `<!--` can end or change it) and the two line
 * separators JavaScript parsers trip over are escaped as \u sequences, which JSON.parse reads back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderWidgetPage(template: string, bootstrap: WidgetBootstrap): string {
  const script = `<script id="dh-bootstrap" type="application/json">${jsonForScript(bootstrap)}</script>`;
  const withLang = template.replace(/<html([^>]*)\blang="[^"]*"/i, `<html$1lang="${bootstrap.lang}"`);
  return withLang.includes('</head>') ? withLang.replace('</head>', `${script}\n</head>`) : `${script}\n${withLang}`;
}

export const portalOrigin = (portal: Pick<Portal, 'protocol' | 'domain'>): string => `${portal.protocol}://${portal.domain}`;

/**
 * Headers of a page the portal frames: only the portal itself may frame it (CSP frame-ancestors; no X-Frame-Options,
 * which has no allow-list and would blank the tab), scripts and data from us only, nothing cached (the page carries
 * a session).
 */
export function setFramedPageHeaders(res: Response, portal: Pick<Portal, 'protocol' | 'domain'> | null): void {
  const ancestors = portal ? portalOrigin(portal) : "'none'";
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      // MUI (emotion) injects its styles at run time.
      "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data:${portal ? ` ${portalOrigin(portal)}` : ''}`,
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
  );
  res.removeHeader('X-Frame-Options');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page for refusals and problems, in the portal's look, with a message a person can act on. */
export function renderMessagePage(input: { lang: 'ru' | 'en'; title: string; message: string; hint?: string; kind?: 'error' | 'info' }): string {
  const color = input.kind === 'info' ? '#2fc6f6' : '#ff5752';
  return `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title><style>
body{margin:0;font:14px/1.5 "Open Sans","Helvetica Neue",Helvetica,Arial,sans-serif;color:#333;background:#fff}
.box{margin:24px;padding:20px 24px;border:1px solid #e0e6ec;border-left:4px solid ${color};border-radius:6px;max-width:720px}
h1{font-size:17px;font-weight:600;margin:0 0 8px}p{margin:0 0 6px}.hint{color:#828b95;font-size:13px}
</style></head><body><div class="box" role="alert"><h1>${esc(input.title)}</h1><p>${esc(input.message)}</p>${input.hint ? `<p class="hint">${esc(input.hint)}</p>` : ''}</div></body></html>`;
}
