import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Replaces `target` whole or not at all: `fill` writes a temporary file beside it, which is then renamed over the
 * target (a rename within one directory is atomic), so a reader sees the old file or the new one, never half. A
 * failed fill leaves no temporary behind. `tmp` names the temporary where its name matters (a hidden name in a folder
 * another program watches).
 */
export async function replaceFileAtomically(target: string, fill: (tmp: string) => Promise<unknown>, tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`): Promise<void> {
  try {
    await fill(tmp);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export const writeFileAtomically = (target: string, data: string | Uint8Array, tmp?: string): Promise<void> =>
  replaceFileAtomically(target, (t) => writeFile(t, data), tmp);
