/**
 * Fault injection shared by every ERP emulator (DESIGN.md §6): a test or the sandbox console arms a rule, the
 * emulator asks `take()` on each request and renders the fault in its own protocol (1C odata.error, D365 OData v4
 * error, SOAP fault…).
 *
 * - down: the ERP is unreachable: `how: 'reset'` destroys the socket (ECONNRESET), `'503'` answers 503.
 * - slow: delays the answer by delayMs, then serves it normally.
 * - rate-limit: 429 with Retry-After (D365 service protection; a proxy in front of 1C).
 * - auth: 401 as if the credentials were wrong.
 * - server-error: a generic 500 that is not a business error.
 * - validation: the next order post/create fails with a business error (1C posting: HTTP 500 odata.error).
 */
export type FaultKind = 'down' | 'slow' | 'rate-limit' | 'auth' | 'server-error' | 'validation';

export interface FaultRule {
  kind: FaultKind;
  /** How many requests it hits before it disarms itself (default: until cleared). */
  times?: number;
  /** Only requests whose target (path, entity set or operation) contains this text or matches this pattern. */
  match?: string | RegExp;
  delayMs?: number;
  retryAfterSeconds?: number;
  how?: 'reset' | '503';
  message?: string;
}

export interface ErpFaults {
  /** Arms a rule; returns a function that disarms it. */
  inject(rule: FaultRule): () => void;
  clear(): void;
  list(): FaultRule[];
  /** Emulator side: the first armed rule of one of `kinds` that matches `target`, consuming one of its `times`. */
  take(target: string, kinds: readonly FaultKind[]): FaultRule | undefined;
  /** How many requests a fault has hit so far (tests assert the fault really fired). */
  readonly hits: number;
}

interface Armed {
  rule: FaultRule;
  left: number;
}

export function createFaults(): ErpFaults {
  let armed: Armed[] = [];
  let hits = 0;
  const matches = (rule: FaultRule, target: string) =>
    rule.match === undefined || (typeof rule.match === 'string' ? target.includes(rule.match) : rule.match.test(target));
  return {
    inject(rule) {
      const entry = { rule: { ...rule }, left: rule.times ?? Number.POSITIVE_INFINITY };
      armed.push(entry);
      return () => {
        armed = armed.filter((a) => a !== entry);
      };
    },
    clear() {
      armed = [];
    },
    list() {
      return armed.map((a) => ({ ...a.rule }));
    },
    take(target, kinds) {
      const found = armed.find((a) => kinds.includes(a.rule.kind) && a.left > 0 && matches(a.rule, target));
      if (!found) return undefined;
      found.left -= 1;
      if (found.left <= 0) armed = armed.filter((a) => a !== found);
      hits += 1;
      return found.rule;
    },
    get hits() {
      return hits;
    },
  };
}

/** The non-business faults an HTTP emulator checks on every request, in this order. */
export const TRANSPORT_FAULTS: readonly FaultKind[] = ['down', 'auth', 'rate-limit', 'server-error'];
