import { startSandboxPortal, type SandboxPortal } from '../../sandbox/index.js';
import { installTestApp } from '../../sandbox/testing/install-app.js';
import type { Receiver } from '../../sandbox/testing/receiver.js';
import type { AppContext } from '../../server/context.js';

/**
 * Test and benchmark support: a sandbox portal with a test app installed (handlers on a recording receiver) and a
 * tenant row for it in a DealerHub context, so the reconciler can run against it with the app's own tokens.
 */
export const INSTALLER_TEST_SCOPE = ['crm', 'user', 'placement', 'bizproc', 'im', 'event', 'userfieldconfig'];

export interface SandboxTenant {
  sandbox: SandboxPortal;
  receiver: Receiver;
  clientId: string;
  clientSecret: string;
  /** Where the test app's handlers live: robots must be on the app's host (bizproc-robot-add.md). */
  publicUrl: string;
  portalId: number;
  close(): Promise<void>;
}

export async function startSandboxWithApp(): Promise<Omit<SandboxTenant, 'portalId'> & { applicationToken: string; accessToken: string; refreshToken: string }> {
  const sandbox = await startSandboxPortal({ httpPort: 0, httpsPort: null });
  const app = await installTestApp(sandbox, { scope: INSTALLER_TEST_SCOPE });
  return {
    sandbox,
    ...app,
    publicUrl: app.receiver.url,
    async close() {
      await app.receiver.close();
      await sandbox.close();
    },
  };
}

/** Stores the sandbox portal as an installed tenant of `ctx` (the tokens of the app's install). */
export async function registerTenant(ctx: AppContext, app: Awaited<ReturnType<typeof startSandboxWithApp>>): Promise<number> {
  const { portal } = await ctx.portals.upsertInstalled({
    memberId: app.sandbox.memberId,
    domain: app.sandbox.domain,
    protocol: 'http',
    clientEndpoint: app.sandbox.clientEndpoint,
    serverEndpoint: app.sandbox.serverEndpoint,
    scope: INSTALLER_TEST_SCOPE,
    languageId: 'ru',
    applicationToken: app.applicationToken,
    tokens: { accessToken: app.accessToken, refreshToken: app.refreshToken, expiresAt: new Date(Date.now() + 3_600_000), userId: app.sandbox.users.admin },
  });
  return portal.id;
}

/** Everything of the portal a reconcile may change, as plain JSON (equal snapshots = nothing was written). */
export function snapshotPortal(sandbox: SandboxPortal, clientId: string): string {
  const s = sandbox.store;
  return JSON.stringify({
    types: s.types.all(),
    categories: s.categories.all(),
    statuses: s.statuses.all().filter((x) => x.ENTITY_ID.startsWith('DYNAMIC_')),
    userFields: s.userFields.all(),
    placements: s.placements.filter((p) => p.clientId === clientId),
    robots: s.robots.filter((r) => r.clientId === clientId),
    events: s.eventBindings.filter((e) => e.clientId === clientId),
  });
}
