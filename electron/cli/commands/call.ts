import { isOperation } from '../../core/dispatch';
import { operationNames } from '../../shared/contract';
import { EXIT, exitCodeFor } from '../exitCodes';
import type { Command } from '../command';
import * as specs from './specs';

/** Any contract operation by name: the scripting escape hatch, and proof the CLI is a transport. */
export const callCommand: Command = {
  ...specs.call,
  async run(ctx, args) {
    const [operation, raw] = args.positionals;
    if (!operation || !isOperation(operation)) {
      ctx.io.stderr(`Usage: lineside call <operation> [json]\nOperations: ${operationNames.join(', ')}`);
      return EXIT.usage;
    }
    let argument: unknown;
    try {
      argument = raw === undefined ? undefined : JSON.parse(raw);
    } catch {
      ctx.io.stderr(`The argument is not JSON: ${raw}`);
      return EXIT.usage;
    }
    const result = await ctx.services().dispatch(operation, argument);
    ctx.io.stdout(JSON.stringify(result, null, 2));
    return result.ok ? EXIT.ok : exitCodeFor(result.error.code);
  },
};
