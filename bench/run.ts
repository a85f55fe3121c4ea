/**
 * npm run bench [name...] [--json FILE]: runs the benches in bench/*.bench.ts (or the named ones)
 * and, with --json, writes every figure to FILE. BENCH_SCALE=0.1 shrinks the work for a quick
 * look; BENCH_RUNS=N takes more than the default 5 runs per figure. Benches are not part of npm test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { results, runs } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) {
  console.error('usage: npm run bench -- [name...] [--json FILE]');
  process.exit(2);
}
const wanted = args.filter((_, i) => jsonAt < 0 || (i !== jsonAt && i !== jsonAt + 1));
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
const started = new Date().toISOString();
console.log(
  `Lineside benches (${started}, node ${process.versions.node}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, scale ${process.env.BENCH_SCALE ?? '1'}, ${runs()} runs per figure)`,
);
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> };
  await mod.run();
}
const short = results.filter((r) => r.ok === false).map((r) => r.name);
console.log(
  `\n${results.length} figures, ${short.length} short of their goal${short.length ? `: ${short.join(', ')}` : ''}`,
);
if (jsonFile) {
  fs.writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        started,
        node: process.versions.node,
        cpus: os.cpus().length,
        loadavg: os.loadavg(),
        scale: Number(process.env.BENCH_SCALE ?? '1'),
        figures: results,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${jsonFile}`);
}
