/**
 * Dates as the portal writes them: ISO 8601 with the portal's UTC offset and no milliseconds,
 * e.g. `2024-07-23T10:45:54+02:00` (api-reference/data-types.md).
 */
export function formatAtom(ms: number, offsetMinutes = -new Date(ms).getTimezoneOffset()): string {
  const shifted = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** A date-only value (`date` fields) as the portal returns it: midnight of that day with the offset. */
export function formatDateOnly(value: string, offsetMinutes?: number): string {
  const day = value.slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`);
  const off = offsetMinutes ?? -new Date(ms).getTimezoneOffset();
  return formatAtom(ms - off * 60_000, off);
}

/** Parses what clients send for date/datetime fields (ISO strings, `dd.mm.yyyy`, unix seconds); null if unreadable. */
export function parseDateInput(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value > 1e11 ? value : value * 1000;
  const s = String(value).trim();
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (ru) {
    const [, d, m, y, hh = '00', mm = '00', ss = '00'] = ru;
    return new Date(Number(y), Number(m) - 1, Number(d), Number(hh), Number(mm), Number(ss)).getTime();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T00:00:00`).getTime();
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
