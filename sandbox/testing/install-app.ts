import type { SandboxPortal } from '../portal.js';
import { startReceiver, type Receiver } from './receiver.js';

export const TEST_SCOPE = ['crm', 'user', 'placement', 'bizproc', 'im'];

/** Registers and installs a test app whose handlers point at a fresh receiver; installation is finished. */
export async function installTestApp(
  portal: SandboxPortal,
  opts: { clientId?: string; scope?: string[]; finish?: boolean; https?: boolean } = {},
): Promise<{ receiver: Receiver; clientId: string; clientSecret: string; applicationToken: string; accessToken: string; refreshToken: string }> {
  const receiver = await startReceiver();
  const clientId = opts.clientId ?? `local.${Math.random().toString(16).slice(2, 14)}.00000001`;
  const clientSecret = `secret-${Math.random().toString(36).slice(2)}`;
  portal.registerApp({
    clientId,
    clientSecret,
    appUrl: `${receiver.url}/app`,
    installUrl: `${receiver.url}/install`,
    installEventHandlerUrl: `${receiver.url}/events`,
    scope: opts.scope ?? TEST_SCOPE,
  });
  const result = await portal.install({ clientId, https: opts.https });
  if (opts.finish !== false) portal.markInstallFinished(clientId);
  return {
    receiver,
    clientId,
    clientSecret,
    applicationToken: result.applicationToken,
    accessToken: result.tokens.accessToken,
    refreshToken: result.tokens.refreshToken,
  };
}
