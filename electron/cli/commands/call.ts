import { isOperation } from '../../core/dispatch';
import { operationNames } from '../../shared/contract';
import { EXIT, exitCodeFor } from '../exitCodes';
import type { Command } from '../command';

/** Any contract operation by name: the scripting escape hatch, and proof the CLI is a transport. */
export const callCommand: Command = {
  name: 'call',
  summary: 'Call any API operation with a JSON argument (prints the Result as JSON)',
  usage: '<operation> [json-argument]',
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
