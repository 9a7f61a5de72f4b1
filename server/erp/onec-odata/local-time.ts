/**
 * 1C dates carry no time zone: they are the local time of the base. Timestamps with a zone (…Z, …+03:00) are turned
 * into that local time before they reach a filter; zone-less ones are taken as already local.
 */
export function localTimestamp(date: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(date);
  return text.replace(' ', 'T');
}

export function toBaseLocal(text: string, timeZone: string): string {
  return /(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? localTimestamp(new Date(text), timeZone) : text;
}

/**
 * When a snapshot (debts, limits) was read: `asOf` is the instant, shown to each person in their own zone; `today` is
 * the base's calendar day, which overdue days count in.
 */
export function readingTime(at: Date, timeZone: string): { asOf: string; today: string } {
  return { asOf: at.toISOString(), today: localTimestamp(at, timeZone).slice(0, 10) };
}
