/** One measured number, as `npm run bench` prints it and writes it to tests/perf/results/<bench>.json. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target, e.g. "<= 50" or ">= 500" or "= 0". */
  goal?: string;
}

export interface Bench {
  /** Runs the benchmark and returns its figures. Benchmarks start their own servers and load processes. */
  run(args: string[]): Promise<Figure[]>;
}

/** True when the figure meets its goal (or has none). */
export function meetsGoal(f: Figure): boolean {
  if (!f.goal) return true;
  const m = /^\s*(<=|>=|=|<|>)\s*(-?[\d.]+)\s*$/.exec(f.goal);
  if (!m) return true;
  const target = Number(m[2]);
  switch (m[1]) {
    case '<=': return f.value <= target;
    case '>=': return f.value >= target;
    case '<': return f.value < target;
    case '>': return f.value > target;
    default: return f.value === target;
  }
}

export function percentile(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return NaN;
  const idx = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[idx]!;
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
