/**
 * The catalog benchmark's load generator, run as its own process (`node --import tsx tests/perf/load/catalog-load.ts
 * <plan.json>`): an open-loop client over loopback with keep-alive agents. Requests are scheduled at a fixed rate and
 * each latency is measured from its scheduled send time, so a slow server cannot hide its queueing (no coordinated
 * omission). The mix is what dealers do in the catalog: browse a group, narrow with facets, sort by their price,
 * search, type in the search box, open a card — each request with a random dealer's session.
 *
 * Prints one JSON line to stdout: {phase:'load', latencies..., byKind...} then the price-list timings.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

export interface LoadPlan {
  baseUrl: string;
  /** Session tokens of dealer users (each request picks one). */
  tokens: string[];
  rate: number;
  warmupSeconds: number;
  durationSeconds: number;
  vocabulary: {
    groupIds: number[];
    leafGroupIds: number[];
    brands: string[];
    facets: Array<{ id: string; values: string[] }>;
    cities: string[];
    productIds: number[];
    searchWords: string[];
    suggestPrefixes: string[];
  };
  /** Price lists to download after the load phase, timed one at a time. */
  priceLists: Array<{ name: string; path: string; token: string; runs: number }>;
}

type Kind = 'browse' | 'filter' | 'price-sort' | 'search' | 'suggest' | 'card';
const MIX: Array<[Kind, number]> = [
  ['browse', 0.3],
  ['filter', 0.15],
  ['price-sort', 0.15],
  ['search', 0.15],
  ['suggest', 0.18],
  ['card', 0.07],
];

let seed = 12345;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function pathFor(kind: Kind, v: LoadPlan['vocabulary']): string {
  const page = rand() < 0.8 ? 1 : 2 + Math.floor(rand() * 3);
  const size = pick([24, 24, 48, 96]);
  const q = new URLSearchParams();
  switch (kind) {
    case 'browse':
      q.set('group', String(rand() < 0.7 ? pick(v.leafGroupIds) : pick(v.groupIds)));
      if (rand() < 0.3) q.set('inStock', '1');
      break;
    case 'filter': {
      q.set('group', String(pick(v.groupIds)));
      q.append('filters[brand][]', pick(v.brands));
      if (rand() < 0.5 && v.facets.length) {
        const f = pick(v.facets);
        q.append(`filters[${f.id}][]`, pick(f.values));
      }
      if (rand() < 0.5) {
        q.set('inStock', '1');
        q.set('city', pick(v.cities));
      }
      break;
    }
    case 'price-sort':
      q.set('group', String(rand() < 0.8 ? pick(v.leafGroupIds) : pick(v.groupIds)));
      q.set('sort', 'price');
      q.set('dir', rand() < 0.6 ? 'asc' : 'desc');
      break;
    case 'search':
      q.set('q', pick(v.searchWords));
      break;
    case 'suggest':
      return `/api/search/suggest?${new URLSearchParams({ q: pick(v.suggestPrefixes), limit: '8' })}`;
    case 'card':
      return `/api/catalog/products/${pick(v.productIds)}?qty=${pick(['1', '1', '5', '12'])}`;
  }
  q.set('page', String(page));
  q.set('pageSize', String(size));
  return `/api/catalog/products?${q}`;
}

function pickKind(): Kind {
  let r = rand();
  for (const [k, w] of MIX) {
    if (r < w) return k;
    r -= w;
  }
  return 'browse';
}

function get(agent: http.Agent, url: URL, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { 'x-dealerhub-session': token, accept: 'application/json' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);

async function runLoad(plan: LoadPlan) {
  // Idle sockets are closed before the server's keep-alive timeout (5 s) can close them under a request in flight.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1_000, timeout: 4_000 });
  const base = new URL(plan.baseUrl);
  const latencies: number[] = [];
  const byKind = new Map<Kind, number[]>();
  let errors = 0;
  let statusErrors = 0;
  let completed = 0;
  let inFlight = 0;
  const start = performance.now();
  const measureFrom = start + plan.warmupSeconds * 1000;
  const end = measureFrom + plan.durationSeconds * 1000;
  let sent = 0;
  // The warm-up runs at half the rate (a server in production is warm; caches fill without a queue forming).
  const warmRate = plan.rate / 2;
  const warmCount = Math.floor(warmRate * plan.warmupSeconds);
  const dueBy = (now: number) => (now < measureFrom ? Math.floor(((now - start) / 1000) * warmRate) : warmCount + Math.floor(((now - measureFrom) / 1000) * plan.rate));
  const scheduledAt = (n: number) => (n < warmCount ? start + (n / warmRate) * 1000 : measureFrom + ((n - warmCount) / plan.rate) * 1000);
  const timeline = new Map<number, number[]>();
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now >= end) {
        resolve();
        return;
      }
      const due = dueBy(now);
      while (sent < due) {
        const scheduled = scheduledAt(sent);
        sent++;
        const kind = pickKind();
        const url = new URL(pathFor(kind, plan.vocabulary), base);
        inFlight++;
        pending.push(
          get(agent, url, pick(plan.tokens))
            .then((r) => {
              const done = performance.now();
              const second = Math.floor((scheduled - start) / 1000);
              let bucket = timeline.get(second);
              if (!bucket) timeline.set(second, (bucket = []));
              bucket.push(done - scheduled);
              if (scheduled >= measureFrom && scheduled < end) {
                if (r.status !== 200) {
                  statusErrors++;
                  return;
                }
                const ms = done - scheduled;
                latencies.push(ms);
                let list = byKind.get(kind);
                if (!list) byKind.set(kind, (list = []));
                list.push(ms);
                completed++;
              }
            })
            .catch(() => {
              if (scheduled >= measureFrom) errors++;
            })
            .finally(() => inFlight--),
        );
        if (pending.length > 5_000) pending.splice(0, pending.length - 5_000);
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.allSettled(pending);
  const wall = (performance.now() - measureFrom) / 1000;
  latencies.sort((a, b) => a - b);
  const kinds = Object.fromEntries(
    [...byKind].map(([k, list]) => {
      list.sort((a, b) => a - b);
      return [k, { n: list.length, p50: percentile(list, 50), p95: percentile(list, 95), p99: percentile(list, 99) }];
    }),
  );
  agent.destroy();
  return {
    phase: 'load',
    sent,
    cpuMs: 0,
    offeredRate: plan.rate,
    completed,
    rps: completed / Math.max(wall, plan.durationSeconds),
    errors,
    statusErrors,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    byKind: kinds,
    /** p50 / p95 per second since the start (warm-up included), to tell a queue left by the warm-up from steady load. */
    timeline: [...timeline].sort((x, y) => x[0] - y[0]).map(([sec, list]) => {
      list.sort((x, y) => x - y);
      return [sec, Math.round(percentile(list, 50)), Math.round(percentile(list, 95))];
    }),
  };
}

async function runPriceLists(plan: LoadPlan) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: Record<string, { ms: number[]; bytes: number; status: number }> = {};
  for (const list of plan.priceLists) {
    const ms: number[] = [];
    let bytes = 0;
    let status = 0;
    for (let i = 0; i < list.runs; i++) {
      const t = performance.now();
      const r = await get(agent, new URL(list.path, plan.baseUrl), list.token);
      ms.push(performance.now() - t);
      bytes = r.bytes;
      status = r.status;
    }
    out[list.name] = { ms, bytes, status };
  }
  agent.destroy();
  return { phase: 'price-lists', lists: out };
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const cpu0 = process.cpuUsage();
const load = await runLoad(plan);
const cpu = process.cpuUsage(cpu0);
load.cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify(load)}\n`);
process.stdout.write(`${JSON.stringify(await runPriceLists(plan))}\n`);
