import type { AppContext } from '../../context.js';
import type { DealerLegalEntity, DealerUser } from '../dealers/index.js';
import type { NotificationKind } from './notification-kinds.js';
import { sendMail } from './smtp-client.js';
import type { TSmtpSettings } from './smtp-settings.js';

export interface DealerNotice {
  portalId: number;
  /** Our dealers.id. */
  dealerId: number;
  kind: NotificationKind;
  /** The legal entity (CRM company) the document is for: users limited to other entities are left out. */
  companyId: number | null;
  /** Only this user (e.g. the one who placed the order), else every user of the dealer who may see it. */
  onlyUserId?: number | null;
  subject: string;
  /** Plain text; BB-code [B]…[/B] is allowed in the Bitrix24 copy and stripped for e-mail. */
  message: string;
  /** Stable per event: a repeated send replaces the notice instead of adding one (im.notify TAG). */
  tag: string;
  /** 'email': the Bitrix24 copy comes from elsewhere (the NotifyDealer robot on the stage). */
  channels?: 'all' | 'email';
}

export interface NoticeResult {
  recipients: number;
  b24: { sent: number; failed: number };
  email: { sent: number; failed: number; skipped: 'not_configured' | null };
}

export interface NotifierOptions {
  smtp: TSmtpSettings | null;
}

const notifierOptions = new WeakMap<AppContext, NotifierOptions>();

/** Sets the e-mail channel of a context (registerNotifications does it from config). */
export function configureNotifier(ctx: AppContext, options: NotifierOptions): void {
  notifierOptions.set(ctx, options);
}

export const smtpOf = (ctx: AppContext): TSmtpSettings | null => notifierOptions.get(ctx)?.smtp ?? null;

/** Users of a dealer a notice goes to: active, the kind not switched off, allowed for the document's legal entity. */
export function recipientsOf(users: DealerUser[], legalEntities: DealerLegalEntity[], n: Pick<DealerNotice, 'kind' | 'companyId' | 'onlyUserId'>): DealerUser[] {
  return users.filter((u) => {
    if (!u.active || u.notificationSettings[n.kind] === false) return false;
    if (n.onlyUserId && u.b24UserId !== n.onlyUserId) return false;
    if (u.legalEntityIds.length === 0 || n.companyId === null) return true;
    return legalEntities.some((e) => u.legalEntityIds.includes(e.id) && e.companyId === n.companyId);
  });
}

/**
 * Sends a dealer notice: the Bitrix24 notification (im.notify.system.add, batch-packed; extranet users get it in their
 * messenger) and, when SMTP is configured and the user has an address and did not switch e-mail off, an e-mail.
 * Failures are counted, logged and returned; a notice never throws on one bad recipient.
 */
export async function notifyDealerUsers(ctx: AppContext, n: DealerNotice): Promise<NoticeResult> {
  const [users, legalEntities] = await Promise.all([ctx.dealers.listUsers(n.portalId, n.dealerId), ctx.dealers.legalEntities(n.portalId, n.dealerId)]);
  const to = recipientsOf(users, legalEntities, n);
  const result: NoticeResult = { recipients: to.length, b24: { sent: 0, failed: 0 }, email: { sent: 0, failed: 0, skipped: null } };
  const plain = n.message.replace(/\[\/?[A-Z]+[^\]]*\]/g, '');
  if ((n.channels ?? 'all') === 'all' && to.length) {
    const outcomes = await ctx.b24.forPortal(n.portalId).callMany(
      to.map((u) => ({ method: 'im.notify.system.add', params: { USER_ID: u.b24UserId, MESSAGE: n.message.slice(0, 4000), MESSAGE_OUT: plain.slice(0, 4000), TAG: `${n.tag}|${u.b24UserId}`.slice(0, 255) } })),
    );
    for (const o of outcomes) {
      if (o.ok) result.b24.sent++;
      else result.b24.failed++;
    }
  }
  const smtp = smtpOf(ctx);
  if (!smtp) result.email.skipped = 'not_configured';
  else {
    for (const u of to) {
      if (!u.email || u.notificationSettings.email === false) continue;
      try {
        await sendMail(smtp, { to: u.email, subject: n.subject, text: plain });
        result.email.sent++;
      } catch (err) {
        result.email.failed++;
        ctx.logger.warn({ err: (err as Error).message, portalId: n.portalId, userId: u.b24UserId }, 'e-mail notice failed');
      }
    }
  }
  if (result.b24.failed || result.email.failed) ctx.logger.warn({ portalId: n.portalId, dealerId: n.dealerId, kind: n.kind, ...result }, 'some dealer notices were not delivered');
  return result;
}
