/** The `lineside` command: the station's services from a terminal. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './main';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const code = await runCli(
  process.argv.slice(2),
  { stdout: (t) => process.stdout.write(t + '\n'), stderr: (t) => process.stderr.write(t + '\n') },
  root,
);
process.exitCode = code;
