/**
 * `npm run bench [-- NAME…]`: runs every tests/perf/<NAME>.bench.ts (or the named ones), prints each figure and
 * writes tests/perf/results/<NAME>.json as {"figures":[{name,value,unit,goal}]}. Not part of `npm test`.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { meetsGoal, type Bench, type Figure } from './figure.js';

const here = dirname(new URL(import.meta.url).pathname);
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((r) => !available.includes(r));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const names = requested.length ? requested : available;
mkdirSync(join(here, 'results'), { recursive: true });
let missed = 0;
for (const name of names) {
  console.log(`\n▶ ${name}`);
  const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as Bench;
  const started = Date.now();
  const figures: Figure[] = await mod.run(process.argv.slice(2).filter((a) => a.startsWith('-')));
  for (const f of figures) {
    const ok = meetsGoal(f);
    if (!ok) missed++;
    console.log(`  ${ok ? '✓' : '✗'} ${f.name} = ${f.value} ${f.unit}${f.goal ? `  (goal ${f.goal})` : ''}`);
  }
  writeFileSync(join(here, 'results', `${name}.json`), JSON.stringify({ figures, ranAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) }, null, 2) + '\n');
}
console.log(missed ? `\n${missed} figure(s) missed their goal` : '\nall figures met their goals');
process.exit(0);
