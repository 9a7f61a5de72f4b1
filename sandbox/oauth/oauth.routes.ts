import express, { type Request, type Response, type Router } from 'express';
import type { Face, PortalRuntime } from '../core/runtime.js';
import { parseQueryToPlain } from '../rest/php-query.js';
import { currentUiUser } from '../ui/current-user.js';
import { OAuthError, authorizationCodeGrant, createAuthCode, refreshGrant } from './tokens.js';

/**
 * The portal's OAuth server (under `/oauth-server/`, the `SERVER_ENDPOINT` it hands out) and the portal's own
 * `/oauth/authorize/` page (settings/oauth/index.md, auto-renewal.md, error-codes.md).
 */
export function createOAuthServerRouter(rt: PortalRuntime): Router {
  const router = express.Router();

  const token = (req: Request, res: Response) => {
    const body = typeof req.body === 'string' ? parseQueryToPlain(req.body) : {};
    const input = { ...(req.query as Record<string, unknown>), ...body };
    try {
      const grant = String(input.grant_type ?? '');
      const answer =
        grant === 'refresh_token' ? refreshGrant(rt, input) : grant === 'authorization_code' ? authorizationCodeGrant(rt, input) : null;
      if (!answer) throw new OAuthError('invalid_request', 'Unsupported grant_type', 400);
      res.status(200).json(answer);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      res.status(err.status).json({ error: err.code, error_description: err.description });
    }
  };
  router.all(['/oauth/token', '/oauth/token/'], token);

  // app.info on the OAuth server vouches for tokens it issued (settings/oauth/simple-way.md note on `status`).
  router.all(['/rest/app.info', '/rest/app.info.json', '/rest/app.info/'], (req, res) => {
    const body = typeof req.body === 'string' ? parseQueryToPlain(req.body) : {};
    const input = { ...(req.query as Record<string, unknown>), ...body };
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const value = (input.auth ?? input.access_token ?? bearer) as string | undefined;
    const t = value ? rt.store.accessTokens.get(value) : undefined;
    if (!t) return void res.status(401).json({ error: 'invalid_token', error_description: 'The access token provided is invalid.' });
    if (t.expiresAt <= rt.clock.now()) return void res.status(401).json({ error: 'expired_token', error_description: 'The access token provided has expired.' });
    const app = rt.store.apps.get(t.clientId);
    if (!app || !app.active) return void res.status(401).json({ error: 'invalid_token', error_description: 'The access token provided is invalid.' });
    res.json({
      result: {
        scope: t.scope.join(','),
        client_id: app.clientId,
        expires: Math.floor(t.expiresAt / 1000),
        install: true,
        user_id: t.userId,
        status: app.status,
        member_id: rt.memberId,
        domain: rt.domain(t.face),
      },
    });
  });
  return router;
}

/** `/oauth/authorize/?client_id&state`: signs in the sandbox's current user and redirects to the app with a code. */
export function createAuthorizeHandler(rt: PortalRuntime, face: Face) {
  return (req: Request, res: Response) => {
    const clientId = String(req.query.client_id ?? '');
    const app = rt.store.apps.get(clientId);
    if (!app || !app.active) {
      res.status(400).type('html').send('<!doctype html><meta charset="utf-8"><p>Приложение не найдено или не установлено на портале.</p>');
      return;
    }
    const user = currentUiUser(rt, req);
    const code = createAuthCode(rt, app, user.ID, face);
    const target = new URL(app.redirectUrl ?? app.appUrl);
    const params: Record<string, string> = {
      code,
      domain: rt.domain(face),
      member_id: rt.memberId,
      scope: app.scope.join(','),
      server_domain: new URL(rt.serverEndpoint()).host,
    };
    if (typeof req.query.state === 'string') params.state = req.query.state;
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    res.redirect(302, target.toString());
  };
}
