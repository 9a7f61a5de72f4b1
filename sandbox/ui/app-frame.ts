import { issueTokenPair } from '../oauth/tokens.js';
import type { SApp } from '../store/types.js';
import { openFrameSession, type FrameRecord } from './frame-sessions.js';
import { h, type Html } from './html.js';
import type { PageContext } from './layout.js';

/**
 * How the portal embeds an app (widgets/_includes/widget_data.md, widgets/crm/detail-tab.md): a form POST targeted at
 * the iframe, DOMAIN/PROTOCOL/LANG/APP_SID in the handler URL's query, the current user's OAuth pair and the call
 * context in the body, and the iframe named `"{domain}|{protocol}|{appSid}"` — the name the SDK's
 * initializeB24Frame() reads (loader-b24frame.ts) to find the portal it must talk to.
 */
export interface AppFrameInput {
  app: SApp;
  handlerUrl: string;
  placement: string;
  /** Context keys of the placement (e.g. `{ID: "12"}`); `URI` is added. */
  options?: Record<string, unknown>;
  /** Submit when the tab is opened (CRM card tabs) instead of at once. */
  lazy?: boolean;
  /** Id of the element setTitle changes. */
  titleTarget: string;
  /** Starting height of the iframe in px. */
  height?: number;
}

export interface AppFramePost {
  action: string;
  fields: Record<string, string>;
  frameName: string;
  record: FrameRecord;
}

/** The POST the portal makes for the current user (tokens issued for them, a new APP_SID). */
export function buildAppFramePost(ctx: PageContext, input: AppFrameInput): AppFramePost {
  const { rt, me, face } = ctx;
  const lang = rt.languageId;
  const domain = rt.domain(face);
  const protocol = face === 'https' ? '1' : '0';
  const options = { ...(input.options ?? {}), URI: ctx.req.originalUrl };
  const record = openFrameSession(rt, { clientId: input.app.clientId, userId: me.ID, placement: input.placement, placementOptions: options, lang, face, handlerUrl: input.handlerUrl });
  const tokens = issueTokenPair(rt, input.app, me.ID, face);
  const action = new URL(input.handlerUrl);
  action.searchParams.set('DOMAIN', domain);
  action.searchParams.set('PROTOCOL', protocol);
  action.searchParams.set('LANG', lang);
  action.searchParams.set('APP_SID', record.session.appSid);
  return {
    action: action.toString(),
    fields: {
      AUTH_ID: tokens.accessToken,
      AUTH_EXPIRES: String(tokens.expiresIn),
      REFRESH_ID: tokens.refreshToken,
      SERVER_ENDPOINT: rt.serverEndpoint(),
      APPLICATION_TOKEN: input.app.applicationToken ?? '',
      APPLICATION_SCOPE: input.app.scope.join(','),
      member_id: rt.memberId,
      status: input.app.status,
      PLACEMENT: input.placement,
      PLACEMENT_OPTIONS: JSON.stringify(options),
    },
    frameName: `${domain}|${protocol}|${record.session.appSid}`,
    record,
  };
}

export function renderAppFrame(ctx: PageContext, input: AppFrameInput): Html {
  const post = buildAppFramePost(ctx, input);
  const sid = post.record.session.appSid;
  return h`<div class="app-frame-wrap">
<form method="post" action="${post.action}" target="${post.frameName}" data-b24-form="${sid}" data-autosubmit="${input.lazy ? 'lazy' : 'now'}" style="display:none">${Object.entries(post.fields).map(
    ([k, v]) => h`<input type="hidden" name="${k}" value="${v}">`,
  )}</form>
<iframe class="app-frame" name="${post.frameName}" data-b24-app-sid="${sid}" data-b24-origin="${post.record.origin}" data-b24-title="${input.titleTarget}" data-placement="${input.placement}" style="height:${input.height ?? 400}px" allow="clipboard-read; clipboard-write"></iframe>
</div>`;
}
