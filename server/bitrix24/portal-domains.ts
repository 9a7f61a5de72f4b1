/**
 * A portal may only be one we are configured to talk to: every URL we call is built from a DOMAIN that a stranger
 * can put in a POST, so an unlisted host is refused before any request leaves (no SSRF).
 * Patterns: `*.bitrix24.ru` (any subdomain), `crm.example.com`, `127.0.0.1:3000` (host with port).
 */
export function isAllowedPortalDomain(domain: string, patterns: string[]): boolean {
  const d = domain.trim().toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(d)) return false;
  return patterns.some((p) => {
    if (p.startsWith('*.')) {
      const suffix = p.slice(1);
      return d.endsWith(suffix) && d.length > suffix.length && !d.includes(':');
    }
    return d === p;
  });
}

/** True when the URL is exactly under one of the trusted OAuth server prefixes. */
export function isTrustedOAuthServer(serverEndpoint: string, trusted: string[]): boolean {
  const normalized = serverEndpoint.replace(/\/*$/, '/');
  return trusted.some((t) => normalized === t);
}
