/**
 * A tiny escaping template for the portal pages: every interpolated value is HTML-escaped unless it is `Html`
 * (built by `h` itself or wrapped with `raw`); arrays are rendered item by item; null/undefined/false render nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function raw(s: string): Html {
  return new Html(s);
}

function part(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return esc(v);
}

export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** JSON for a `<script type="application/json">` block (no `</script>` break-out). */
export function jsonScript(v: unknown): Html {
  return raw(JSON.stringify(v).replace(/</g, '\\u003c'));
}
