import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { generateCatalog, type GeneratedCatalog } from '../catalog/index.js';
import { createOnecOdataEmulator, type OnecOdataEmulator, type OnecOdataEmulatorOptions } from './create-onec-odata-emulator.js';

/**
 * Mounting helpers. `mountOnecOdataEmulator(app, emulator, 'trade')` serves the OData interface at
 * `/trade/odata/standard.odata/` and the control API at `/trade/__emulator/`. `startOnecOdataEmulator()` runs it on
 * its own port (0 = any free port; tests use that).
 */
export function mountOnecOdataEmulator(app: Express, emulator: OnecOdataEmulator, base = 'trade'): { odataPath: string; controlPath: string } {
  const odataPath = `/${base}/odata/standard.odata`;
  const controlPath = `/${base}/__emulator`;
  app.use(odataPath, emulator.router);
  app.use(controlPath, emulator.controlRouter());
  return { odataPath, controlPath };
}

export interface RunningOnecOdataEmulator {
  emulator: OnecOdataEmulator;
  /** e.g. http://127.0.0.1:41234/trade/odata/standard.odata */
  baseUrl: string;
  controlUrl: string;
  port: number;
  /** Stops listening (clients get ECONNREFUSED, a truly unreachable 1C) until resume(). */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startOnecOdataEmulator(options: Partial<OnecOdataEmulatorOptions> & {
  catalog?: GeneratedCatalog;
  seed?: string | number;
  skus?: number;
  host?: string;
  port?: number;
  base?: string;
} = {}): Promise<RunningOnecOdataEmulator> {
  const catalog = options.catalog ?? generateCatalog({ seed: options.seed ?? 'dealerhub', skus: options.skus ?? 2000 });
  const emulator = createOnecOdataEmulator({ ...options, catalog });
  const app = express();
  app.disable('x-powered-by');
  const { odataPath, controlPath } = mountOnecOdataEmulator(app, emulator, options.base ?? 'trade');
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s));
    s.on('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;
  let current: Server | null = server;
  const stop = () => new Promise<void>((resolve) => {
    if (!current) return resolve();
    const s = current;
    current = null;
    s.closeAllConnections();
    s.close(() => resolve());
  });
  return {
    emulator,
    baseUrl: `${origin}${odataPath}`,
    controlUrl: `${origin}${controlPath}`,
    port,
    pause: stop,
    resume: () => new Promise<void>((resolve, reject) => {
      if (current) return resolve();
      const s = app.listen(port, host, () => resolve());
      s.on('error', reject);
      current = s;
    }),
    close: stop,
  };
}
