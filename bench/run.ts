/**
 * npm run bench [name...]: runs the benches in bench/*.bench.ts (or the named ones).
 * BENCH_SCALE=0.1 shrinks the work for a quick look.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
console.log(
  `Lineside benches (${new Date().toISOString()}, node ${process.versions.node}, scale ${process.env.BENCH_SCALE ?? '1'})`,
);
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> };
  await mod.run();
}
