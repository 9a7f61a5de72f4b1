import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Portal } from './portals.repository.js';

const TEXT = {
  ru: { title: 'DealerHub устанавливается', body: 'Портал зарегистрирован. Настраиваем смарт-процессы, виджеты и роботов…' },
  en: { title: 'Installing DealerHub', body: 'The portal is registered. Setting up smart processes, widgets and robots…' },
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that is safe inside <script>: no `</script>`, `<!--`, or line separators can end or confuse the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** What widgets/src/shell/bootstrap.ts reads from `<script id="dh-bootstrap">`. */
export interface InstallBootstrap {
  session: string;
  lang: string;
  widget: 'install';
  placement: string;
  placementOptions: Record<string, unknown>;
  user: { id: number; name: string; role: string; dealerId: null };
  portal: { domain: string; memberId: string };
}

let builtPage: string | null = null;
/** The built install widget (`npx vite build` → dist/widgets/pages/install.html); read once, then kept. */
function readBuiltPage(file = resolve(import.meta.dirname, '..', '..', '..', 'dist', 'widgets', 'pages', 'install.html')): string | null {
  if (builtPage !== null) return builtPage;
  try {
    builtPage = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return builtPage;
}

/** Puts the bootstrap JSON into a built widget page (before </head>, so it exists when the module script runs). */
export function injectBootstrap(html: string, bootstrap: InstallBootstrap, lang: string): string {
  const data = `<script id="dh-bootstrap" type="application/json">${scriptJson(bootstrap)}</script>`;
  const page = html.replace(/<html lang="[^"]*"/, `<html lang="${lang.startsWith('ru') ? 'ru' : 'en'}"`);
  return page.includes('</head>') ? page.replace('</head>', `${data}</head>`) : `${data}${page}`;
}

/**
 * The page the portal shows in its install slider: the install widget (step-by-step progress, retry, installFinish)
 * with its bootstrap JSON, or — when the widgets are not built — a plain page that still says what is happening.
 */
export function renderInstallPage({ portal, lang, bootstrap }: { portal: Portal; lang: string; bootstrap?: InstallBootstrap }): string {
  const ru = lang.startsWith('ru');
  const t = ru ? TEXT.ru : TEXT.en;
  const data = bootstrap ? `<script id="dh-bootstrap" type="application/json">${scriptJson(bootstrap)}</script>` : '';
  const built = bootstrap ? readBuiltPage() : null;
  if (built && bootstrap) return injectBootstrap(built, bootstrap, lang);
  return `<!doctype html><html lang="${ru ? 'ru' : 'en'}"><head><meta charset="utf-8">
<title>${t.title}</title><meta name="viewport" content="width=device-width, initial-scale=1">${data}</head>
<body style="font-family:system-ui,sans-serif;margin:32px"><h1 style="font-size:20px">${t.title}</h1>
<p>${t.body}</p><p style="color:#666">${escapeHtml(portal.domain)}</p></body></html>`;
}
