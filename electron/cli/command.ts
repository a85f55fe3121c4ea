import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './context';

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** Words that select it, e.g. `units list`. */
  name: string;
  summary: string;
  /** Shown by `--help`: the arguments after the name. */
  usage?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}
