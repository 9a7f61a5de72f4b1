/**
 * Standalone sandbox portal: `npm run sandbox -- --port 3100 [--https-port 3101] [--persist data/sandbox.sqlite]
 * [--no-demo] [--enterprise] [--member-id HEX] [--host 127.0.0.1]`. Prints the portal and webhook URLs and stops
 * cleanly on SIGINT/SIGTERM.
 */
import { pino } from 'pino';
import { startSandboxPortal } from './portal.js';

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) out[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      out[key] = next;
      i++;
    } else out[key] = true;
  }
  return out;
}

function port(v: string | true | undefined, fallback: number): number {
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`Invalid port "${v}": expected an integer between 0 and 65535`);
    process.exit(2);
  }
  return n;
}

const args = parseArgs(process.argv.slice(2));
const httpPort = port(args.port, Number(process.env.SANDBOX_PORT ?? 3100));
const httpsPort = args['no-https'] ? null : port(args['https-port'], httpPort === 0 ? 0 : httpPort + 1);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

const portal = await startSandboxPortal({
  host: typeof args.host === 'string' ? args.host : '127.0.0.1',
  httpPort,
  httpsPort,
  persistFile: typeof args.persist === 'string' ? args.persist : undefined,
  seedDemo: !args['no-demo'],
  plan: args.enterprise ? 'enterprise' : 'default',
  memberId: typeof args['member-id'] === 'string' ? args['member-id'] : undefined,
  controlSecret: process.env.SANDBOX_CONTROL_SECRET,
  logger,
});

console.log(`Sandbox portal: ${portal.url}`);
if (portal.httpsUrl) console.log(`Sandbox portal (HTTPS): ${portal.httpsUrl}`);
console.log(`Webhook: ${portal.webhookUrl}`);
if (portal.httpsWebhookUrl) console.log(`Webhook (HTTPS): ${portal.httpsWebhookUrl}`);
console.log(`OAuth server: ${portal.serverEndpoint}`);
console.log(`member_id: ${portal.memberId}`);
console.log(`Control secret (X-Sandbox-Secret for /_sandbox/*): ${portal.controlSecret}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    portal
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  });
}
