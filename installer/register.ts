import type { AppContext } from '../server/context.js';
import type { Portal } from '../server/modules/portals/index.js';
import { APPLY_JOB, applyJobHandler, type TApplyPayload } from './apply.job.js';
import { CONFIRM_FINISH_JOB, confirmFinishJobHandler, type TConfirmFinishPayload } from './confirm-finish.job.js';
import { readRecord } from './installer-record.js';
import { MANIFEST, type Manifest } from './manifest.js';

export interface InstallerRegistration {
  manifest: Manifest;
  publicUrl(): string;
  /** Enqueues a run for every installed portal whose recorded manifest version is not the current one. */
  enqueueUpgrades(): Promise<number>;
  /** Checks app.info INSTALLED in the background until the portal confirms installFinish. */
  enqueueConfirmFinish(portal: Pick<Portal, 'id'>): Promise<{ id: number; created: boolean }>;
  /** Enqueues a run for one portal now (install page "retry", admin API). */
  enqueueApply(portal: Pick<Portal, 'id' | 'installedAt'>, reason: TApplyPayload['reason']): Promise<{ id: number; created: boolean }>;
}

/**
 * Wires the installer into the app lifecycle (DESIGN.md §4): install → enqueue `installer.apply`; ONAPPUPDATE →
 * enqueue again (the update dropped every event binding, event-bind.md); uninstall → nothing to call (the app and its
 * tokens are gone) but the record is cleared. Registers the job handler. `publicUrl` may be a function when it is only
 * known once the server listens (sandbox mode).
 */
export function registerInstaller(ctx: AppContext, opts: { publicUrl: string | (() => string); manifest?: Manifest }): InstallerRegistration {
  const manifest = opts.manifest ?? MANIFEST;
  const publicUrl = () => {
    const url = typeof opts.publicUrl === 'function' ? opts.publicUrl() : opts.publicUrl;
    if (!url) throw new Error('registerInstaller: publicUrl is empty');
    return url.replace(/\/+$/, '');
  };
  // One run at a time per instance; the settings lease keeps instances apart.
  ctx.jobs.registerHandler<TApplyPayload>(APPLY_JOB, applyJobHandler(ctx, { publicUrl, manifest }), { concurrency: 2, timeoutMs: 15 * 60_000 });
  ctx.jobs.registerHandler<TConfirmFinishPayload>(CONFIRM_FINISH_JOB, confirmFinishJobHandler(ctx), { concurrency: 2, timeoutMs: 60_000 });

  // A reinstall after an uninstall is a new installation: its installedAt is part of every key.
  const installKey = (portal: Pick<Portal, 'id' | 'installedAt'>) => `${portal.id}:i${portal.installedAt?.getTime() ?? 0}:m${manifest.version}`;
  const enqueue = (portal: Pick<Portal, 'id' | 'installedAt'>, reason: TApplyPayload['reason'], dedupKey: string | null) =>
    ctx.jobs.enqueue<TApplyPayload>({ kind: APPLY_JOB, portalId: portal.id, dedupKey, payload: { portalId: portal.id, reason, manifestVersion: manifest.version }, maxAttempts: 8 });

  ctx.hooks.portalInstalled.push(async (portal) => {
    await enqueue(portal, 'install', `install:${installKey(portal)}`);
  });
  ctx.hooks.appUpdated.push(async (portal, version) => {
    await enqueue(portal, 'update', `update:${installKey(portal)}:a${version ?? 'x'}`);
  });
  ctx.hooks.portalUninstalled.push(async (portal, clean) => {
    await ctx.portals.updateSettings(portal.id, (current) => {
      if (clean) {
        const { installer: _gone, ...rest } = current;
        return rest;
      }
      // The portal removed every handler with the app; the smart processes and their data stay there.
      const record = readRecord(current);
      if (!current.installer) return current;
      return { ...current, installer: { ...record, placements: [], robots: [], events: [], lock: null, manifestVersion: null, uninstalledAt: new Date().toISOString() } };
    });
    await ctx.portals.setVersions(portal.id, { manifestVersion: null });
  });

  return {
    manifest,
    publicUrl,
    enqueueConfirmFinish: (portal) =>
      ctx.jobs.enqueue<TConfirmFinishPayload>({
        kind: CONFIRM_FINISH_JOB,
        portalId: portal.id,
        // One pending check per portal per minute is plenty, however often the page asks.
        dedupKey: `${portal.id}:${Math.floor(Date.now() / 60_000)}`,
        payload: { portalId: portal.id },
        runAt: new Date(Date.now() + 2_000),
        maxAttempts: 8,
      }),
    enqueueApply: (portal, reason) => enqueue(portal, reason, reason === 'retry' || reason === 'manual' ? null : `${reason}:${installKey(portal)}`),
    async enqueueUpgrades() {
      let n = 0;
      for (const portal of await ctx.portals.list()) {
        if (portal.status !== 'installed' || portal.manifestVersion === manifest.version) continue;
        const r = await enqueue(portal, 'upgrade', `upgrade:${installKey(portal)}`);
        if (r.created) n++;
      }
      return n;
    },
  };
}
