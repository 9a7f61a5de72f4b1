/** Why the installer cannot run for a portal, in words an operator can act on (the CLI prints them; jobs log them). */
export type InstallerErrorCode = 'PORTAL_NOT_FOUND' | 'PORTAL_NOT_INSTALLED' | 'REINSTALL_REQUIRED' | 'BUSY' | 'NO_PUBLIC_URL' | 'NOT_RECONCILED';

export class InstallerError extends Error {
  constructor(
    readonly code: InstallerErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'InstallerError';
  }
}
