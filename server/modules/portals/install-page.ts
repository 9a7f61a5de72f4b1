import type { Portal } from './portals.repository.js';

const TEXT = {
  ru: { title: 'DealerHub устанавливается', body: 'Портал зарегистрирован. Настраиваем смарт-процессы, виджеты и роботов…' },
  en: { title: 'Installing DealerHub', body: 'The portal is registered. Setting up smart processes, widgets and robots…' },
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page the portal shows in its install slider. The installer (installer/) adds the step-by-step progress. */
export function renderInstallPage({ portal, lang }: { portal: Portal; lang: string }): string {
  const t = lang.startsWith('ru') ? TEXT.ru : TEXT.en;
  return `<!doctype html><html lang="${lang.startsWith('ru') ? 'ru' : 'en'}"><head><meta charset="utf-8">
<title>${t.title}</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;margin:32px"><h1 style="font-size:20px">${t.title}</h1>
<p>${t.body}</p><p style="color:#666">${escapeHtml(portal.domain)}</p></body></html>`;
}
