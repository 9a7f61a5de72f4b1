import { ConfigError, loadConfig } from './config.js';
import { composeApp } from './compose-app.js';
import { closeContext, createContext } from './context.js';
import { listen } from './http/serve.js';
import { startScheduler } from './jobs/index.js';
import { startSandboxMode } from './sandbox-mode.js';

/**
 * Production entry point: `node --import tsx server/main.ts` (npm start adds the sandbox portal, see scripts/start.mjs
 * and sandbox/). Exits non-zero with a readable message on bad configuration.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const ctx = await createContext(config);
  let publicUrl = config.publicUrl;
  const { app, installer, schedules } = composeApp(ctx, { publicUrl: () => publicUrl ?? '' });
  const running = await listen(app, config.host, config.port, ctx.logger);
  publicUrl ??= running.url;
  await ctx.jobs.startWorkers({ concurrency: 4 });
  await installer.enqueueUpgrades();
  // Schedules only enqueue (deduplicated per slot), so every instance may run the scheduler.
  const scheduler = startScheduler({ queue: ctx.jobs, definitions: schedules, listPortals: () => ctx.portals.list(), logger: ctx.logger });
  ctx.onClose.push(() => scheduler.stop());
  ctx.logger.info({ url: running.url, version: config.version, mode: config.mode }, 'DealerHub is listening');
  process.stdout.write(`DealerHub: ${running.url}\n`);

  if (config.mode === 'sandbox') {
    const sandbox = await startSandboxMode(ctx, publicUrl);
    ctx.onClose.push(() => sandbox.close());
    process.stdout.write(`Sandbox portal: ${sandbox.portalUrl}\n`);
    if (sandbox.erpUrl) process.stdout.write(`1C OData emulator: ${sandbox.erpUrl}\n`);
    process.stdout.write(`Webhook: ${sandbox.webhookUrl}\n`);
    if (sandbox.httpsWebhookUrl) process.stdout.write(`Webhook (HTTPS): ${sandbox.httpsWebhookUrl}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info({ signal }, 'shutting down');
    await running.close(config.shutdownGraceMs);
    await closeContext(ctx);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
