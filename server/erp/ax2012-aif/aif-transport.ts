/**
 * How SOAP requests reach the AIF HTTP port. The default transport sends them with fetch and Basic authentication.
 * Real AX 2012 sites protect the IIS-hosted port with Windows authentication (NTLM/Negotiate), which needs a
 * connection-bound three-message handshake: plug such a transport in here (e.g. one built on httpntlm/axios-ntlm, or a
 * call through a small .NET sidecar that holds the Windows credentials); nothing else in the adapter changes.
 */

export interface AxHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

export interface AxHttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

export type AxTransport = (req: AxHttpRequest) => Promise<AxHttpResponse>;

export interface BasicTransportOptions {
  user?: string;
  password?: string;
  timeoutMs?: number;
}

export function basicTransport(options: BasicTransportOptions = {}): AxTransport {
  const auth = options.user !== undefined ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`, 'utf8').toString('base64')}` : undefined;
  return async (req) => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const res = await fetch(req.url, { method: 'POST', headers: { ...req.headers, ...(auth ? { Authorization: auth } : {}) }, body: req.body, signal });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
}
