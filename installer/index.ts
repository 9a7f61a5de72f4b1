/** The installer's import point (STYLE.md §1): other modules use readInstalled; the app wires registerInstaller. */
export { readInstalled, tryReadInstalled, type Installed, type InstalledSmartProcess } from './installed.js';
export { InstallerError, type InstallerErrorCode } from './installer-error.js';
export { readRecord, ZInstallerRecord, type TInstallerRecord, type TSmartProcessRecord, type TFieldRecord, type TRunJournal } from './installer-record.js';
export { registerInstaller, type InstallerRegistration } from './register.js';
export { installRoutes } from './install.routes.js';
export { APPLY_JOB, type TApplyPayload } from './apply.job.js';
export { reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile/reconcile.js';
export { uninstall, type UninstallOptions } from './reconcile/uninstall.js';
export { formatPlan } from './reconcile/format-plan.js';
export { MANIFEST, type Manifest } from './manifest.js';
