import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import { reserveAndWait } from './orders';

export const idsReserveCommand: Command = {
  name: 'ids reserve',
  summary: "Reserve claim IDs: finish an order's reservation, or a new order of N for a profile",
  usage: '--order ID | --profile NAME --count N [--order ID]',
  options: { order: { type: 'string' }, profile: { type: 'string' }, count: { type: 'string' } },
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const profile = stringOption(args, 'profile');
    const count = stringOption(args, 'count');
    if (profile && count) {
      return reserveAndWait(ctx, () =>
        ctx.call('createOrder', { profile, quantity: Number(count), ...(orderId ? { orderId } : {}) }),
      );
    }
    if (orderId && !profile && !count)
      return reserveAndWait(ctx, () => ctx.call('resumeReservation', { orderId }));
    ctx.io.stderr(`Usage: lineside ids reserve ${this.usage}`);
    return EXIT.usage;
  },
};
