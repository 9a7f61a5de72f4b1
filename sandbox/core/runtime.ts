import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { FaultController } from '../faults/faults.js';
import type { LeakyBucket, OperatingTracker } from '../rest/limits.js';
import type { MethodRegistry } from '../rest/registry.js';
import type { SandboxStore } from '../store/store.js';
import type { SApp, SItem } from '../store/types.js';

export type Face = 'http' | 'https';

/** Addresses of the portal's two faces (plain HTTP for tests and demos, HTTPS for the SDK's B24Hook). */
export interface PortalAddresses {
  httpUrl: string;
  httpsUrl: string | null;
  httpDomain: string;
  httpsDomain: string | null;
}

/** What a CRM change tells the event and automation layers. */
export interface CrmChange {
  kind: 'add' | 'update' | 'delete';
  /** 'dynamic' for smart-process items, otherwise the classic entity. */
  entity: 'dynamic' | 'company' | 'contact' | 'deal' | 'lead' | 'requisite' | 'type';
  entityTypeId?: number;
  id: number;
  /** The user whose call made the change (tokens in the event auth are issued for them), or null for robots/agents. */
  userId: number | null;
  /** The app whose call made the change, if any. */
  clientId: string | null;
}

export interface EventSink {
  crmChanged(change: CrmChange): void;
  /** Fires a lifecycle event (ONAPPINSTALL…) to one app's handler; resolves with the handler's HTTP status. */
  deliverToApp(app: SApp, url: string, body: Record<string, unknown>, event: string): Promise<number | null>;
  /** Waits until every queued delivery has been attempted (tests). */
  idle(): Promise<void>;
}

export interface AutomationSink {
  /** An item entered `stageId` (created in it or moved to it): runs the robots attached there. */
  stageEntered(item: SItem, previousStageId: string | null): void;
  idle(): Promise<void>;
}

/** Everything a method handler may use. One per portal. */
export interface PortalRuntime {
  memberId: string;
  plan: 'default' | 'enterprise';
  store: SandboxStore;
  clock: Clock;
  logger: Logger;
  faults: FaultController;
  bucket: LeakyBucket;
  operating: OperatingTracker;
  registry: MethodRegistry;
  events: EventSink;
  automation: AutomationSink;
  addresses(): PortalAddresses;
  /** The OAuth server's REST base for this portal (`…/oauth-server/rest/`). */
  serverEndpoint(): string;
  clientEndpoint(face: Face): string;
  domain(face: Face): string;
  languageId: string;
}
