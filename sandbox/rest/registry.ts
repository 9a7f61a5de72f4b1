import type { Face, PortalRuntime } from '../core/runtime.js';
import type { SApp, SUser, SWebhook } from '../store/types.js';

/**
 * Who is calling: an incoming webhook or an application's OAuth token (settings/how-to-call-rest-api/authorization.md),
 * or a person acting in the portal's own pages (`session`: the sandbox UI runs the same method handlers for them).
 */
export interface CallAuth {
  type: 'webhook' | 'oauth' | 'session';
  user: SUser;
  app: SApp | null;
  webhook: SWebhook | null;
  /** Granted scopes; null = all. */
  scope: string[] | null;
  accessToken: string | null;
  face: Face;
  /** Operating time is accounted per app or webhook (limits.md). */
  subjectKey: string;
}

export interface MethodCall {
  rt: PortalRuntime;
  method: string;
  params: Record<string, unknown>;
  /** `start` as the server extracts it before calling the method (0 when absent, -1 = no count). */
  start: number;
  auth: CallAuth;
  inBatch: boolean;
}

export interface MethodDef {
  name: string;
  /** Scope(s) that grant the method; 'basic' methods need none. */
  scope: string | string[];
  /** With a webhook the method answers this error (placement.*, event.bind, bizproc.robot.*: app context only). */
  appOnly?: 'WRONG_AUTH_TYPE' | 'ACCESS_DENIED';
  /** Portal administrator only (ACCESS_DENIED otherwise). */
  adminOnly?: boolean;
  /** CRM is unavailable to extranet users: 403 allowed_only_intranet_user (api-reference/user/index.md). */
  intranetOnly?: boolean;
  /** Not callable inside batch (ERROR_BATCH_METHOD_NOT_ALLOWED). */
  notInBatch?: boolean;
  handler: (call: MethodCall) => unknown;
}

export class MethodRegistry {
  private readonly methods = new Map<string, MethodDef>();

  add(...defs: MethodDef[]): void {
    for (const def of defs) this.methods.set(def.name.toLowerCase(), def);
  }

  get(name: string): MethodDef | undefined {
    return this.methods.get(name.toLowerCase());
  }

  all(): MethodDef[] {
    return [...this.methods.values()];
  }

  scopes(): string[] {
    const set = new Set<string>();
    for (const m of this.methods.values()) for (const s of [m.scope].flat()) if (s !== 'basic') set.add(s);
    return [...set].sort();
  }
}
