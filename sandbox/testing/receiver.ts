import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseQueryToPlain } from '../rest/php-query.js';

/**
 * A stand-in for the app's HTTP side in sandbox tests: it records every POST the portal makes (install page, events,
 * robot handlers) with the form body parsed the PHP way, and answers 200 unless told otherwise.
 */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  rawBody: string;
  headers: http.IncomingHttpHeaders;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides the answer; default 200 "ok". May be async (e.g. call back into the portal first). */
  respond: (req: ReceivedRequest) => Promise<{ status: number; body?: string }> | { status: number; body?: string };
  waitFor(pred: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { pred: (r: ReceivedRequest) => boolean; resolve: (r: ReceivedRequest) => void }[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    respond: () => ({ status: 200, body: 'ok' }),
    waitFor(pred, timeoutMs = 5000) {
      const hit = requests.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('receiver: expected request did not arrive')), timeoutMs);
        waiters.push({ pred, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const entry: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: parseQueryToPlain(url.search.slice(1)),
        body: parseQueryToPlain(raw),
        rawBody: raw,
        headers: req.headers,
      };
      requests.push(entry);
      for (const w of [...waiters]) {
        if (w.pred(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
      try {
        const answer = await receiver.respond(entry);
        res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.body ?? '');
      } catch {
        res.writeHead(500).end('receiver failed');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
