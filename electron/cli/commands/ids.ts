import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';
import { reserveAndWait } from './orders';

export const idsReserveCommand: Command = {
  ...specs.idsReserve,
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
