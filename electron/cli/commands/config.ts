import fs from 'node:fs';
import { Failure, isFailure } from '../../core/failure';
import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

/**
 * Local only: prints the real device.json5 (with the product token in full) for a unit of an order.
 * It uses the core directly, never an operation, because the token must not cross to a renderer.
 */
export const configRenderCommand: Command = {
  ...specs.configRender,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const claimId = stringOption(args, 'id');
    if (!orderId || !claimId) {
      ctx.io.stderr(`Usage: lineside config render ${this.usage}`);
      return EXIT.usage;
    }
    const created = stringOption(args, 'created') ?? new Date().toISOString();
    const result = (() => {
      try {
        const { orders, store } = ctx.services();
        const unit = store.units.get(claimId);
        if (!unit || unit.orderId !== orderId)
          throw new Failure('not-found', `Work order ${orderId} has no unit with claim ID ${claimId}.`);
        let serial = unit.serial ?? stringOption(args, 'serial') ?? null;
        if (!serial) {
          serial = orders.peekNextSerial(orderId);
          if (serial)
            ctx.io.stderr(
              `Note: ${claimId} has no serial yet; rendered with the order's next serial ${serial} (nothing assigned: the station gives the unit its serial when it writes it). Pass --serial S to choose another.`,
            );
        }
        try {
          return { ok: true as const, value: orders.deviceJson5For(unit.claimId, { created, serial }) };
        } catch (error) {
          if (isFailure(error) && error.message.includes('{{serial}}'))
            throw new Failure(
              'validation',
              `The profile uses {{serial}}, and ${claimId} has no serial yet (its order hands out none): add --serial S to render it.`,
            );
          throw error;
        }
      } catch (error) {
        if (isFailure(error)) return { ok: false as const, error: error.toInfo() };
        throw error;
      }
    })();
    const out = stringOption(args, 'out');
    if (result.ok && out) {
      fs.writeFileSync(out, result.value, { mode: 0o600 });
      return ctx.report(result, () => `device.json5 for ${claimId} written to ${out}`);
    }
    if (result.ok && !ctx.json) {
      process.stdout.write(result.value);
      return EXIT.ok;
    }
    return ctx.report(result, (t) => t);
  },
};
