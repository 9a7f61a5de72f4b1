import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that answers Bitrix24 REST requests from a per-test script, for the wire-level unit tests
 * that need exact control over one answer (a 500 after the write was applied, a timeout, a 429 with a reset time).
 * The full portal behaviour is tested against the sandbox in tests/contract/b24-client.battery.test.ts.
 */
export interface ScriptedRequest {
  method: string;
  body: Record<string, unknown>;
  url: string;
}

export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  /** Answer after this many ms (to provoke client timeouts). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

export interface ScriptedPortal {
  url: string;
  port: number;
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

export async function startScriptedPortal(answer: (req: ScriptedRequest, n: number) => ScriptedAnswer | Promise<ScriptedAnswer>): Promise<ScriptedPortal> {
  const requests: ScriptedRequest[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', async () => {
      const path = (req.url ?? '').split('?')[0]!;
      const method = path.replace(/^\/rest\//, '').replace(/\.json$/, '');
      let body: Record<string, unknown>;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { raw };
      }
      const r: ScriptedRequest = { method, body, url: req.url ?? '' };
      requests.push(r);
      const a = await answer(r, requests.filter((x) => x.method === method).length);
      if (a.delayMs) await new Promise((resolve) => setTimeout(resolve, a.delayMs));
      if (a.destroy) {
        req.socket.destroy();
        return;
      }
      res.statusCode = a.status ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(a.body ?? { result: true, time: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
