import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'dh-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('when nothing is set, then sandbox mode starts on SQLite under ./data with generated secrets kept on disk', () => {
    const dir = tmp();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.mode).toBe('sandbox');
    expect(config.databaseUrl).toBe(`sqlite:${join(dir, 'dealerhub.sqlite')}`);
    expect(config.app.secretKey).toHaveLength(32);
    const saved = JSON.parse(readFileSync(join(dir, 'sandbox-secrets.json'), 'utf8'));
    expect(saved.clientId).toBe(config.app.clientId);
    // a second start reuses them, so tokens sealed by the first start stay readable
    expect(loadConfig({ DATA_DIR: dir }).app.secretKey.equals(config.app.secretKey)).toBe(true);
  });

  it('when PORT is not a number, then the error names PORT and the expected form', () => {
    const problems = problemsOf({ PORT: 'eighty', DATA_DIR: tmp() });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT: expected a TCP port/);
    expect(problems[0]).toContain('got "eighty"');
  });

  it('when DATABASE_URL has an unknown scheme, then the error names it and lists the accepted forms', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://x/y', DATA_DIR: tmp() });
    expect(problem).toMatch(/^DATABASE_URL: expected sqlite:<path>.*mysql:\/\//);
  });

  it('when production mode lacks secrets, then each missing one is named and none is generated', () => {
    const problems = problemsOf({ APP_MODE: 'production', DATA_DIR: tmp() });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['APP_CLIENT_ID', 'APP_CLIENT_SECRET', 'APP_SECRET_KEY', 'PUBLIC_URL', 'DATABASE_URL']);
  });

  it('when APP_SECRET_KEY is malformed, then the message says 64 hex characters and never echoes the value', () => {
    const [problem] = problemsOf({ APP_SECRET_KEY: 'super-secret-value', DATA_DIR: tmp() });
    expect(problem).toMatch(/^APP_SECRET_KEY: expected 64 hex characters/);
    expect(problem).not.toContain('super-secret-value');
  });

  it('when production mode has everything, then the config carries the given values', () => {
    const config = loadConfig({
      APP_MODE: 'production',
      APP_CLIENT_ID: 'app.abc',
      APP_CLIENT_SECRET: 'secret-123456',
      APP_SECRET_KEY: 'a'.repeat(64),
      PUBLIC_URL: 'https://dealerhub.example.com/',
      DATABASE_URL: 'mysql://u:p@db:3306/dealerhub',
      B24_RATE_LIMIT: '250/5',
    });
    expect(config.publicUrl).toBe('https://dealerhub.example.com');
    expect(config.b24.rateLimit).toEqual({ burst: 250, drainPerSecond: 5 });
  });
});
