import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

export const unitsListCommand: Command = {
  ...specs.unitsList,
  async run(ctx, args) {
    const limit = stringOption(args, 'limit');
    const result = await ctx.call('listUnits', {
      prefix: stringOption(args, 'prefix'),
      cursor: stringOption(args, 'cursor') ?? null,
      ...(limit !== undefined ? { limit: Number(limit) } : {}),
    });
    return ctx.report(result, (page) =>
      [
        ...page.items.map(
          (u) => `${u.claimId}\t${u.state}\t${u.serial ?? '-'}\t${u.orderId ?? '-'}\t${u.updatedAt}`,
        ),
        `${page.items.length} shown of ${page.total}${page.totalIsCapped ? '+' : ''}` +
          (page.nextCursor ? ` (next: --cursor ${page.nextCursor})` : ''),
      ].join('\n'),
    );
  },
};

export const unitsGetCommand: Command = {
  ...specs.unitsGet,
  async run(ctx, args) {
    const claimId = args.positionals[0];
    if (!claimId) {
      ctx.io.stderr('Usage: lineside units get <claim-id>');
      return EXIT.usage;
    }
    const result = await ctx.call('getUnit', { claimId });
    return ctx.report(result, ({ unit, events }) =>
      [
        `${unit.claimId}  ${unit.state}  serial ${unit.serial ?? '-'}  order ${unit.orderId ?? '-'}`,
        ...events.map((e) => `  ${e.at}  ${e.kind}  ${e.station}/${e.operator}`),
      ].join('\n'),
    );
  },
};
