import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';

export const unitsListCommand: Command = {
  name: 'units list',
  summary: 'List units, optionally by claim-ID prefix',
  usage: '[--prefix P] [--limit N] [--cursor C]',
  options: { prefix: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
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
  name: 'units get',
  summary: 'A unit and its history',
  usage: '<claim-id>',
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
