import { parseArgs } from 'node:util';
import type { CommandEntry } from './command';
import { commands as allCommands } from './commands';
import { createContext, type Io } from './context';
import { EXIT, exitCodeFor } from './exitCodes';
import { storeFailure } from '../core/store/errors';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Finds the command whose name matches the most leading words. */
export function findCommand(
  words: string[],
  commands: CommandEntry[] = allCommands,
): { command: CommandEntry; rest: string[] } | null {
  let best: { command: CommandEntry; rest: string[] } | null = null;
  for (const command of commands) {
    const parts = command.name.split(' ');
    if (
      parts.every((p, i) => words[i] === p) &&
      (!best || parts.length > best.command.name.split(' ').length)
    ) {
      best = { command, rest: words.slice(parts.length) };
    }
  }
  return best;
}

export function helpText(commands: CommandEntry[] = allCommands): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: lineside <command> [options]   (global: --json, --data-dir DIR, --help)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/**
 * The words that name the command: every argument that is not an option, skipping the value of a
 * global option given as `--data-dir X` (so global options work before the command, too).
 */
export function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-')) {
      const name = a.replace(/^--?/, '');
      const option = (GLOBAL_OPTIONS as Record<string, { type: string }>)[name];
      if (option?.type === 'string') i++;
      continue;
    }
    words.push(a);
  }
  return words;
}

/** Runs the CLI; returns the process exit code. */
export async function runCli(argv: string[], io: Io, root: string): Promise<number> {
  const words = commandWords(argv);
  const found = findCommand(words);
  if (!found) {
    (words.length === 0 ? io.stdout : io.stderr)(
      (words.length ? `Unknown command: ${words.join(' ')}\n\n` : '') + helpText(),
    );
    return words.length === 0 ? EXIT.ok : EXIT.usage;
  }
  const nameWords = found.command.name.split(' ').length;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...(found.command.options ?? {}) },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr(
      `${error instanceof Error ? error.message : String(error)}\n\nUsage: lineside ${found.command.name} ${found.command.usage ?? ''}`,
    );
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(`Usage: lineside ${found.command.name} ${found.command.usage ?? ''}\n${found.command.summary}`);
    return EXIT.ok;
  }
  // Only now the command's own modules load (its chunk of the compiled CLI).
  const command = await found.command.load();
  const ctx = createContext({
    io,
    json: parsed.values.json === true,
    dataDir: typeof parsed.values['data-dir'] === 'string' ? parsed.values['data-dir'] : undefined,
    root,
  });
  try {
    return await command.run(ctx, {
      values: parsed.values,
      positionals: parsed.positionals.slice(nameWords),
    });
  } catch (error) {
    const failure = storeFailure(error);
    if (failure) {
      // With --json a refusal is the result on stdout, like every other answer: scripts parse one shape.
      if (ctx.json) io.stdout(JSON.stringify({ ok: false, error: failure.toInfo() }, null, 2));
      else io.stderr(`Error: ${failure.message}`);
      return exitCodeFor(failure.code);
    }
    throw error;
  } finally {
    ctx.close();
  }
}
