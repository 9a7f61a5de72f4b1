/** GET /api/install/progress (installer/install-progress.ts). */
export type StepKey = 'smartProcesses' | 'fields' | 'stages' | 'placements' | 'robots' | 'events';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface InstallStep {
  key: StepKey;
  status: StepStatus;
  total: number;
  done: number;
  failed: number;
}

export interface InstallProgress {
  state: 'idle' | 'queued' | 'running' | 'retrying' | 'done' | 'failed';
  manifestVersion: number;
  installedManifestVersion: number | null;
  installFinished: boolean;
  steps: InstallStep[];
  errors: Array<{ step: string; code: string; message: string }>;
  notices: string[];
  startedAt: string | null;
  finishedAt: string | null;
  job: { id: number; status: string; attempts: number; maxAttempts: number; runAt: string; lastError: string | null } | null;
}
