import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

/** The serialization service from a terminal, until Ctrl+C; prints every answer it gives. */
export const serializeServeCommand: Command = {
  ...specs.serializeServe,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const productRef = stringOption(args, 'product-ref');
    if (!orderId || !productRef) {
      ctx.io.stderr(
        `Usage: lineside serialize serve ${this.usage}\n(see \`lineside cloud token list\` for refs)`,
      );
      return EXIT.usage;
    }
    const port = stringOption(args, 'port');
    const host = stringOption(args, 'host');
    const path = stringOption(args, 'path');
    const allow = stringOption(args, 'allow');
    const handle = ctx.services();
    const unsubscribe = handle.events.subscribe((event, payload) => {
      if (event !== 'serializeAnswered') return;
      const e = payload as {
        at: string;
        remote: string;
        status: number;
        claimId: string | null;
        reason: string | null;
      };
      ctx.io.stdout(`${e.at}  ${e.remote}  ${e.status}  ${e.claimId ?? e.reason ?? ''}`);
    });
    const started = await ctx.call('startSerialize', {
      orderId,
      productRef,
      ...(host ? { host } : {}),
      ...(port !== undefined ? { port: Number(port) } : {}),
      ...(path ? { path } : {}),
      ...(allow ? { allow: allow.split(',').map((a) => a.trim()) } : {}),
    });
    const code = ctx.report(
      started,
      (s) =>
        `Serving IDs of order ${orderId} at ${s.url} (allowed: ${s.settings.allow.join(', ')}). Press Ctrl+C to stop.`,
    );
    if (!started.ok) {
      unsubscribe();
      return code;
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    unsubscribe();
    await ctx.call('stopSerialize', undefined);
    return EXIT.ok;
  },
};
