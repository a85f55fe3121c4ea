import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './context';

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** What the command line needs before running a command (electron/cli/commands/specs.ts). */
export interface CommandSpec {
  /** Words that select it, e.g. `units list`. */
  name: string;
  summary: string;
  /** Shown by `--help`: the arguments after the name. */
  usage?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
}

export interface Command extends CommandSpec {
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

/** A row of the command table: the spec, and its implementation imported when it runs. */
export interface CommandEntry extends CommandSpec {
  load(): Promise<Command>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}
