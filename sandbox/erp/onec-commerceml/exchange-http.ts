import http from 'node:http';
import https from 'node:https';

/** The few HTTP calls 1C's exchange makes, over node:http so a test can also cut a request off mid-body. */

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function request(url: URL, options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer; dropAfterBytes?: number }): Promise<HttpAnswer> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'User-Agent': '1C+Enterprise/8.3', ...options.headers };
    if (options.body) {
      headers['Content-Length'] = String(options.body.length);
      headers['Content-Type'] ??= 'application/octet-stream';
    }
    const req = lib.request(url, { method: options.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body && options.dropAfterBytes !== undefined) {
      // Fault: the connection breaks in the middle of a part (1C's side sees a network error).
      req.write(options.body.subarray(0, options.dropAfterBytes), () => {
        setTimeout(() => {
          req.destroy(new Error('connection dropped mid-file (emulated fault)'));
        }, 20);
      });
      return;
    }
    req.end(options.body);
  });
}
