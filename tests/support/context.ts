import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '../../server/config.js';
import { closeContext, createContext, type AppContext } from '../../server/context.js';
import { createLogger } from '../../server/lib/logger.js';

/** Collects every log line a context writes, so a test can search it (e.g. for leaked tokens). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    APP_MODE: 'sandbox',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dealerhub-test-')),
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    APP_CLIENT_ID: 'local.test0000000000.00000000',
    APP_CLIENT_SECRET: 'test-client-secret-0123456789',
    APP_SECRET_KEY: '0'.repeat(63) + '1',
    ...env,
  });
}

export interface TestContext {
  ctx: AppContext;
  logs: LogCapture;
  close(): Promise<void>;
}

/** A migrated context on its own database with its log output captured at `trace` level (the noisiest). */
export async function createTestContext(env: Record<string, string | undefined> = {}): Promise<TestContext> {
  const config = testConfig({ LOG_LEVEL: 'trace', ...env });
  const logs = new LogCapture();
  const ctx = await createContext(config, { logger: createLogger('trace', logs) });
  return { ctx, logs, close: () => closeContext(ctx) };
}
