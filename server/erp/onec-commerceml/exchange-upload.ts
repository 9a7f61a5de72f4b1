import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * One `mode=file` POST: 1C splits files larger than file_limit into parts and sends each as the body of a separate
 * call, to be appended. A part is first written to a temporary file and appended only when it arrived whole, so a
 * dropped connection never leaves half a part inside the file.
 */

export class UploadError extends Error {
  constructor(message: string, readonly tooLarge = false) {
    super(message);
    this.name = 'UploadError';
  }
}

export async function receiveChunk(req: IncomingMessage, target: string, maxBytes: number): Promise<number> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.part-${randomBytes(6).toString('hex')}`;
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes) done(new UploadError(`the part is larger than ${maxBytes} bytes`, true));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(tmp));
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) !== received) throw new UploadError(`the part was cut short: ${received} of ${declared} bytes arrived`);
    const exists = await stat(target).then(() => true, () => false);
    if (!exists) {
      await rename(tmp, target);
    } else {
      await pipeline(createReadStream(tmp), createWriteStream(target, { flags: 'a' }));
      await rm(tmp, { force: true });
    }
    return received;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
