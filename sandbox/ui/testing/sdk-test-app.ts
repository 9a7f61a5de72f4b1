import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseQueryToPlain } from '../../rest/php-query.js';

/**
 * A tiny Bitrix24 app for page tests and demos: every page it serves (install, app, placement handlers) loads the
 * UNMODIFIED official SDK's UMD build (@bitrix24/b24jssdk dist/umd) and runs `initializeB24Frame()`, shows what it got
 * (placement, options, install mode), sets the title, resizes its frame (`?height=N`, or `?fit=1` for fitWindow();
 * `?filler=N` makes the page taller), calls `user.current` through the frame's
 * REST client and — on the install page — finishes the installation with `installFinish()`. It records every request
 * the portal (or the browser) makes to it.
 */
export interface AppRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

export interface SdkTestApp {
  url: string;
  origin: string;
  requests: AppRequest[];
  /** Requests whose path starts with `prefix` and that carried a form body (the portal's POSTs). */
  posts(prefix: string): AppRequest[];
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The SDK's UMD build as installed (never a copy): resolved from the package, so upgrades are picked up. */
export function sdkUmdSource(): string {
  const pkg = require.resolve('@bitrix24/b24jssdk/package.json');
  return readFileSync(join(dirname(pkg), 'dist', 'umd', 'index.min.js'), 'utf8');
}

function page(path: string, received: Record<string, unknown>): string {
  const isInstall = path.startsWith('/install');
  const shown = { PLACEMENT: received.PLACEMENT ?? null, PLACEMENT_OPTIONS: received.PLACEMENT_OPTIONS ?? null, status: received.status ?? null };
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Тестовое приложение</title>
<style>
 body{font:14px/1.5 "Open Sans",Arial,sans-serif;margin:0;padding:18px 22px;color:#333;background:#fff}
 h2{margin:0 0 10px;font-size:18px;font-weight:600} dl{display:grid;grid-template-columns:170px 1fr;gap:4px 12px;margin:0 0 12px}
 dt{color:#8a939c} dd{margin:0;font-family:Menlo,monospace;font-size:12px;word-break:break-all}
 .ok{color:#4f7a00;font-weight:600} .err{color:#c2290e;font-weight:600}
 button{height:34px;padding:0 16px;border-radius:17px;border:0;background:#bbed21;color:#535c69;font-weight:600;cursor:pointer}
 .filler{height:260px;border-radius:10px;background:linear-gradient(135deg,#e5f5fd,#f6fbe9);display:flex;align-items:center;justify-content:center;color:#8a939c}
</style></head><body>
<h2>${isInstall ? 'Мастер установки тестового приложения' : 'Тестовое приложение'}</h2>
<dl>
 <dt>POST</dt><dd id="post">${JSON.stringify(shown).replace(/</g, '&lt;')}</dd>
 <dt>placement</dt><dd id="placement">…</dd>
 <dt>options</dt><dd id="options">…</dd>
 <dt>install mode</dt><dd id="install">…</dd>
 <dt>user.current</dt><dd id="user">…</dd>
 <dt>состояние</dt><dd id="status">загрузка SDK…</dd>
</dl>
${isInstall ? '<p><button id="finish" type="button">Завершить установку</button></p>' : ''}
<div class="filler">содержимое приложения</div>
<script src="/sdk.js"></script>
<script>
(function () {
  var q = new URLSearchParams(location.search);
  var $ = function (id) { return document.getElementById(id); };
  var status = function (text, cls) { $('status').textContent = text; $('status').className = cls || ''; };
  if (q.get('filler')) document.querySelector('.filler').style.height = Number(q.get('filler')) + 'px';
  B24Js.initializeB24Frame().then(async function ($b24) {
    window.$b24 = $b24;
    $('placement').textContent = $b24.placement.placement;
    $('options').textContent = JSON.stringify($b24.placement.options);
    $('install').textContent = String($b24.isInstallMode);
    await $b24.parent.setTitle(q.get('title') || ('Тестовое приложение: ' + $b24.placement.placement));
    if (q.get('fit') === '1') await $b24.parent.fitWindow();
    else await $b24.parent.resizeWindow(Math.max(320, document.body.scrollWidth), Number(q.get('height') || 640));
    var answer = await $b24.actions.v2.call.make({ method: 'user.current' });
    if (!answer.isSuccess) throw new Error(answer.getErrorMessages().join('; '));
    var u = answer.getData().result;
    $('user').textContent = u.ID + ': ' + u.NAME + ' ' + u.LAST_NAME;
    $('user').setAttribute('data-user-id', String(u.ID));
    status('готово', 'ok');
    var finish = $('finish');
    if (finish) finish.onclick = function () {
      status('завершаю установку…');
      $b24.installFinish().then(function () { status('установка завершена', 'ok'); }, function (e) { status('ошибка: ' + e.message, 'err'); });
    };
  }).catch(function (e) { status('ошибка: ' + (e && e.message ? e.message : e), 'err'); });
})();
</script></body></html>`;
}

export async function startSdkTestApp(): Promise<SdkTestApp> {
  const sdk = sdkUmdSource();
  const requests: AppRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://app.invalid');
      if (url.pathname === '/sdk.js') {
        res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'max-age=600' }).end(sdk);
        return;
      }
      if (url.pathname === '/favicon.ico') return void res.writeHead(404).end();
      const entry: AppRequest = { method: req.method ?? 'GET', path: url.pathname, query: parseQueryToPlain(url.search.slice(1)), body: parseQueryToPlain(raw), headers: req.headers };
      requests.push(entry);
      if (url.pathname.startsWith('/events') || url.pathname.startsWith('/robot')) {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(url.pathname, entry.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    origin,
    requests,
    posts: (prefix) => requests.filter((r) => r.method === 'POST' && r.path.startsWith(prefix) && Object.keys(r.body).length > 0),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
