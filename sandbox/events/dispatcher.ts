import type { CrmChange, EventSink, PortalRuntime } from '../core/runtime.js';
import type { SApp, SDelivery, SEventBinding } from '../store/types.js';
import { handlerAuth } from './event-auth.js';
import { postForm } from './post-form.js';

/**
 * Delivers events to bound handlers the way the queue server does (api-reference/events/index.md): form-urlencoded,
 * asynchronously after the change, once (no retries), and only to apps whose installation is finished
 * (settings/app-installation/installation-finish.md).
 */
const ENTITY_EVENT: Record<CrmChange['entity'], string> = {
  dynamic: 'ONCRMDYNAMICITEM',
  company: 'ONCRMCOMPANY',
  contact: 'ONCRMCONTACT',
  deal: 'ONCRMDEAL',
  lead: 'ONCRMLEAD',
  requisite: 'ONCRMREQUISITE',
  type: 'ONCRMTYPE',
};

const MAX_DELIVERIES = 5000;

export class EventDispatcher implements EventSink {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly rt: () => PortalRuntime) {}

  /** Event names a CRM change raises: the general one and, for smart processes, the per-type `_{eTI}` variant. */
  static eventNames(change: CrmChange): string[] {
    const base = `${ENTITY_EVENT[change.entity]}${change.kind.toUpperCase()}`;
    return change.entity === 'dynamic' && change.entityTypeId ? [base, `${base}_${change.entityTypeId}`] : [base];
  }

  crmChanged(change: CrmChange): void {
    const fields: Record<string, unknown> = { ID: String(change.id) };
    if (change.entity === 'dynamic') fields.ENTITY_TYPE_ID = String(change.entityTypeId);
    for (const event of EventDispatcher.eventNames(change)) this.fire(event, { FIELDS: fields }, change.userId);
  }

  /** Sends `event` to every online binding of an installed app. */
  fire(event: string, data: Record<string, unknown>, userId: number | null): void {
    const rt = this.rt();
    const bindings = rt.store.eventBindings.filter((b) => b.event === event && b.offline === 0);
    for (const binding of bindings) {
      const app = rt.store.apps.get(binding.clientId);
      if (!app || !app.active || !app.installed) continue;
      this.schedule(() => this.deliverBinding(app, binding, data, userId));
    }
  }

  private async deliverBinding(app: SApp, binding: SEventBinding, data: Record<string, unknown>, userId: number | null): Promise<void> {
    const rt = this.rt();
    const authUser = binding.authType > 0 ? binding.authType : userId;
    const body = {
      event: binding.event,
      event_handler_id: String(binding.id),
      data,
      ts: String(Math.floor(rt.clock.now() / 1000)),
      auth: handlerAuth(rt, app, authUser),
    };
    await this.send('event', binding.event, binding.handler, body);
  }

  /** Lifecycle events (ONAPPINSTALL…) go to one handler; resolves with its HTTP status (null when dropped/failed). */
  async deliverToApp(_app: SApp, url: string, body: Record<string, unknown>, event: string): Promise<number | null> {
    const p = this.send('install', event, url, body);
    this.track(p);
    return p;
  }

  /** Records the delivery, honours `faults.dropEvents`, POSTs once. */
  async send(kind: SDelivery['kind'], event: string, url: string, body: Record<string, unknown>, query?: Record<string, string>): Promise<number | null> {
    const rt = this.rt();
    const delivery: SDelivery = { id: rt.store.nextId('delivery'), kind, event, url, body, createdAt: rt.clock.now(), status: 'pending', httpStatus: null, error: null };
    rt.store.deliveries.insert(delivery);
    // A long-running demo keeps the newest deliveries only.
    if (rt.store.deliveries.size > MAX_DELIVERIES) {
      const cut = delivery.id - MAX_DELIVERIES;
      rt.store.deliveries.deleteWhere((d) => d.id <= cut);
    }
    if (rt.faults.takeDrop()) {
      rt.store.deliveries.update(delivery.id, { status: 'dropped' });
      return null;
    }
    try {
      const res = await postForm(url, body, { query });
      rt.store.deliveries.update(delivery.id, { status: res.status < 400 ? 'delivered' : 'failed', httpStatus: res.status });
      return res.status;
    } catch (err) {
      rt.store.deliveries.update(delivery.id, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
      rt.logger.warn({ event, url: url.replace(/\?.*$/, '') }, 'sandbox delivery failed (not retried)');
      return null;
    }
  }

  schedule(task: () => Promise<unknown>): void {
    // Like the queue server: the caller's REST answer goes out first, the POST follows.
    const p = new Promise((resolve) => setImmediate(resolve)).then(task).catch((err) => this.rt().logger.error({ err }, 'sandbox delivery task failed'));
    this.track(p);
  }

  track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
