/**
 * The order benchmark's client, run as its own process (`node --import tsx tests/perf/load/order-client.ts
 * <plan.json>`): what the cabinet does when a dealer orders from a file, over loopback — the CSV uploaded raw to the
 * quick-order file route, the checkout preview read, the order submitted — timed from the first byte of the upload to
 * the submit's answer. Runs one after another (the cart is empty again after each submit).
 *
 * Prints one JSON line per run: {run, ms, uploadMs, previewMs, submitMs, accepted, rejected, lines, status, order}.
 */
import { readFileSync } from 'node:fs';

export interface OrderPlan {
  baseUrl: string;
  token: string;
  csvFile: string;
  runs: number;
  requestIdPrefix: string;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as OrderPlan;
const csv = readFileSync(plan.csvFile);
const headers = { 'x-dealerhub-session': plan.token, accept: 'application/json' };

async function call(method: string, path: string, body?: Buffer | string, type?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, plan.baseUrl), { method, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, body });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text: text.slice(0, 500) };
  }
  return { status: res.status, json };
}

for (let run = 0; run < plan.runs; run++) {
  const t0 = performance.now();
  const upload = await call('POST', '/api/cart/quick-order/file?fileName=order.csv', csv, 'text/csv');
  const t1 = performance.now();
  if (upload.status !== 200) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.json).slice(0, 500)}`);
  const preview = await call('GET', '/api/checkout');
  const t2 = performance.now();
  if (preview.status !== 200 || preview.json.canSubmit !== true) throw new Error(`preview: ${preview.status} ${JSON.stringify(preview.json).slice(0, 800)}`);
  const submit = await call('POST', '/api/checkout', JSON.stringify({ deliveryMethod: 'pickup', comment: 'Заказ из файла (бенчмарк)', requestId: `${plan.requestIdPrefix}-${run}` }), 'application/json');
  const t3 = performance.now();
  if (submit.status !== 201) throw new Error(`submit: ${submit.status} ${JSON.stringify(submit.json).slice(0, 800)}`);
  const summary = upload.json.summary as { lines: number; accepted: number; rejected: number };
  const order = submit.json.order as { id: number; number: string; b24ItemId: number; total: string };
  process.stdout.write(
    `${JSON.stringify({ run, ms: t3 - t0, uploadMs: t1 - t0, previewMs: t2 - t1, submitMs: t3 - t2, lines: summary.lines, accepted: summary.accepted, rejected: summary.rejected, cartLines: (preview.json.cart as { lines: number }).lines, order: { id: order.id, number: order.number, b24ItemId: order.b24ItemId, total: order.total } })}\n`,
  );
}
