import express, { type Router } from 'express';
import type { PortalRuntime } from '../core/runtime.js';
import { UI_USER_COOKIE, currentUiUser } from './current-user.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The portal's HTML layer. For now: a start page naming the portal and a user switcher (the signed-in user is the
 * one /oauth/authorize/ and, later, the CRM card pages act as). Card pages and the automation page plug in here.
 */
export function createUiRouter(rt: PortalRuntime): Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const me = currentUiUser(rt, req);
    const users = rt.store.users.all().filter((u) => u.ACTIVE);
    const rows = users
      .map((u) => `<li>${u.ID === me.ID ? '<b>' : ''}<a href="/_ui/switch-user?id=${u.ID}">${esc(`${u.LAST_NAME} ${u.NAME}`)}</a> — ${esc(u.WORK_POSITION || u.USER_TYPE)} (${u.USER_TYPE}${u.IS_ADMIN ? ', admin' : ''})${u.ID === me.ID ? '</b>' : ''}</li>`)
      .join('');
    res.type('html').send(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Битрикс24 — песочница</title></head>
<body style="font-family:system-ui,sans-serif;margin:32px"><h1 style="font-size:20px">Портал-песочница ${esc(rt.domain('http'))}</h1>
<p>member_id: <code>${esc(rt.memberId)}</code></p><p>Вы вошли как: <b>${esc(`${me.NAME} ${me.LAST_NAME}`)}</b></p><ul>${rows}</ul></body></html>`);
  });
  router.get('/_ui/switch-user', (req, res) => {
    const id = Number(req.query.id);
    const user = rt.store.users.get(id);
    if (!user || !user.ACTIVE) return void res.status(404).type('text').send('no such user');
    res.setHeader('Set-Cookie', `${UI_USER_COOKIE}=${user.ID}; Path=/; HttpOnly; SameSite=Lax`);
    const back = typeof req.query.back === 'string' && req.query.back.startsWith('/') && !req.query.back.startsWith('//') ? req.query.back : '/';
    res.redirect(302, back);
  });
  return router;
}
