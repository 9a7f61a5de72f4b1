/**
 * `npm run installer -- plan|apply|uninstall --portal <member_id> [options]` against the configured database
 * (DATABASE_URL etc., server/config.ts):
 *   plan                  read the portal and print the diff (same as apply --dry-run)
 *   apply [--dry-run]     reconcile the portal with the manifest, printing progress
 *   uninstall [--clean] [--keep-types] [--drop-uninstall-event] [--dry-run]
 *                         remove what DealerHub put on the portal (with --clean also its empty smart processes and the
 *                         fields/stages it added to other types)
 * Options: --public-url URL (default PUBLIC_URL, then the URL of the last run), --lang ru|en.
 * Exit code 0 when done (or planned), 1 with a message otherwise.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.js';
import { closeContext, createContext, type AppContext } from '../server/context.js';
import { isB24Error } from '../server/bitrix24/index.js';
import { InstallerError } from './installer-error.js';
import { readRecord, type TRunJournal } from './installer-record.js';
import { MANIFEST } from './manifest.js';
import type { Lang } from './reconcile/desired-state.js';
import { formatPlan, stepTitle } from './reconcile/format-plan.js';
import { portalLanguage, reconcile, type ReconcileResult } from './reconcile/reconcile.js';
import { uninstall } from './reconcile/uninstall.js';

const USAGE = 'usage: npm run installer -- plan|apply|uninstall --portal <member_id> [--dry-run] [--clean] [--keep-types] [--drop-uninstall-event] [--public-url URL] [--lang ru|en]';

const out = (s: string) => process.stdout.write(`${s}\n`);
const fail = (s: string): never => {
  process.stderr.write(`installer: ${s}\n`);
  process.exit(1);
};

function progressPrinter(lang: Lang) {
  const seen = new Map<string, string>();
  return (j: TRunJournal) => {
    for (const s of j.steps) {
      const line = `${s.status}:${s.done}:${s.failed}`;
      if (seen.get(s.key) === line || s.status === 'pending') continue;
      seen.set(s.key, line);
      out(`  [${s.status}] ${stepTitle(s.key, lang)}${s.total ? ` ${s.done}/${s.total}` : ''}${s.failed ? `, ${s.failed} failed` : ''}`);
    }
  };
}

function report(result: ReconcileResult, lang: Lang): void {
  if (result.status !== 'planned') {
    out(`${result.status === 'done' ? 'done' : 'FAILED'}: ${result.applied.length} applied, ${result.failed.length} failed; ${result.writes} writes, ${result.hits} requests to the portal`);
    for (const f of result.failed) out(`  ✗ ${f.op}: ${f.code} ${f.message}`);
    for (const n of result.notices) out(`  ! ${n}`);
    if (result.status === 'failed') out(lang === 'ru' ? 'Повторный запуск продолжит с того же места.' : 'Running it again continues where it stopped.');
  } else {
    out(formatPlan(result.plan, result.notices, lang));
    out(`(${result.plan.length} change(s); read with ${result.hits} request(s), nothing written)`);
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        portal: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        clean: { type: 'boolean', default: false },
        'keep-types': { type: 'boolean', default: false },
        'drop-uninstall-event': { type: 'boolean', default: false },
        'public-url': { type: 'string' },
        lang: { type: 'string' },
      },
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
  const command = parsed.positionals[0];
  const memberId = parsed.values.portal;
  if (!command || !['plan', 'apply', 'uninstall'].includes(command) || !memberId) return fail(USAGE);

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  const ctx: AppContext = await createContext(config);
  let code: number;
  try {
    const portal = await ctx.portals.findByMemberId(memberId);
    if (!portal) throw new InstallerError('PORTAL_NOT_FOUND', `no portal with member_id ${memberId} is known to this DealerHub database (${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')})`);
    const record = readRecord(portal.settings);
    const lang: Lang = parsed.values.lang === 'en' || parsed.values.lang === 'ru' ? parsed.values.lang : portalLanguage(portal, record);
    const sandboxUrl = config.mode === 'sandbox' ? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}` : undefined;
    const publicUrl = parsed.values['public-url'] ?? config.publicUrl ?? record.publicUrl ?? sandboxUrl;
    const dryRun = command === 'plan' || parsed.values['dry-run'];
    out(`${command}${dryRun && command !== 'plan' ? ' (dry run)' : ''}: ${portal.domain} (member_id ${portal.memberId}), manifest v${MANIFEST.version}${publicUrl ? `, handlers at ${publicUrl}` : ''}`);
    let result: ReconcileResult;
    if (command === 'uninstall') {
      result = await uninstall({
        ctx,
        portalId: portal.id,
        publicUrl,
        dryRun,
        clean: parsed.values.clean,
        keepTypes: parsed.values['keep-types'],
        keepUninstallEvent: !parsed.values['drop-uninstall-event'],
      });
    } else {
      if (!publicUrl) throw new InstallerError('NO_PUBLIC_URL', 'the public URL Bitrix24 reaches DealerHub at is unknown: pass --public-url or set PUBLIC_URL');
      result = await reconcile({ ctx, portalId: portal.id, publicUrl, dryRun, onProgress: progressPrinter(lang) });
    }
    report(result, lang);
    code = result.status === 'failed' ? 1 : 0;
  } catch (err) {
    if (err instanceof InstallerError) process.stderr.write(`installer: ${err.message}\n`);
    else if (isB24Error(err)) process.stderr.write(`installer: Bitrix24 refused: ${err.message}${err.kind === 'reinstall_required' ? ' (the portal must reinstall or reopen the app)' : ''}\n`);
    else process.stderr.write(`installer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    code = 1;
  } finally {
    await closeContext(ctx);
  }
  process.exit(code);
}

void main();
