/**
 * ERP "local" timestamps: 1C writes `2016-12-26T16:00:52` with no zone (the infobase's local time). The generator
 * treats them as UTC internally so date arithmetic never depends on the machine's time zone.
 */
const DAY = 86_400_000;

export function parseLocal(text: string): number {
  const ms = Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text.slice(0, 19)}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a local timestamp: "${text}"`);
  return ms;
}

export function formatLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function addDays(text: string, days: number): string {
  return formatLocal(parseLocal(text) + days * DAY);
}

export function daysBetween(from: string, to: string): number {
  return Math.floor((parseLocal(to) - parseLocal(from)) / DAY);
}
