import fs from 'node:fs';
import type { OrderStartedReport, OrderSummary, Result, SerialSpec, VoidReason } from '../../shared/contract';
import { EXIT, exitCodeFor } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import * as specs from './specs';
import type { CommandContext } from '../context';
import { MiB, readBoundedText } from '../../core/boundedRead';

export function orderLine(o: OrderSummary): string {
  const counts = Object.entries(o.counts)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return `${o.orderId}  ${o.profileName}  ${o.reserved}/${o.quantity} reserved  ${o.state}  (${counts || 'no units'})`;
}

function serialsFrom(args: ParsedArgs): SerialSpec | undefined {
  const list = stringOption(args, 'serials-file');
  if (list)
    return {
      kind: 'list',
      serials: readBoundedText(list, { what: 'serials file', maxBytes: 64 * MiB })
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
  const prefix = stringOption(args, 'serial-prefix');
  const start = stringOption(args, 'serial-start');
  if (prefix === undefined && start === undefined) return undefined;
  return {
    kind: 'range',
    prefix: prefix ?? '',
    start: Number(start ?? '1'),
    width: Number(stringOption(args, 'serial-width') ?? '6'),
  };
}

/** Starts (or resumes) an order's reservation and waits for it, with progress on stderr. */
export async function reserveAndWait(
  ctx: CommandContext,
  start: () => Promise<Result<OrderStartedReport>>,
): Promise<number> {
  const started = await start();
  if (!started.ok) return ctx.report(started, () => '');
  const { jobs, events } = ctx.services();
  const off = events.subscribe((event, payload) => {
    if (event === 'jobProgress' && !ctx.json) {
      const job = payload as { jobId: string; done: number; total: number };
      if (job.jobId === started.value.job.jobId)
        ctx.io.stderr(`  reserved ${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')}`);
    }
  });
  const job = await jobs.wait(started.value.job.jobId);
  off();
  if (job.state !== 'done') {
    const error = job.error ?? { code: 'internal' as const, message: 'The reservation stopped.' };
    ctx.report({ ok: false, error }, () => '');
    return exitCodeFor(error.code);
  }
  return ctx.report({ ok: true, value: job.result as OrderSummary }, orderLine);
}

export const ordersCreateCommand: Command = {
  ...specs.ordersCreate,
  async run(ctx, args) {
    const profile = stringOption(args, 'profile');
    const quantity = Number(stringOption(args, 'quantity'));
    if (!profile || !Number.isInteger(quantity)) {
      ctx.io.stderr(`Usage: lineside orders create ${this.usage}`);
      return EXIT.usage;
    }
    const orderId = stringOption(args, 'order');
    const note = stringOption(args, 'note');
    const serials = serialsFrom(args);
    return reserveAndWait(ctx, () =>
      ctx.call('createOrder', {
        profile,
        quantity,
        ...(orderId ? { orderId } : {}),
        ...(serials ? { serials } : {}),
        ...(note ? { note } : {}),
      }),
    );
  },
};

export const ordersListCommand: Command = {
  ...specs.ordersList,
  async run(ctx) {
    const result = await ctx.call('listOrders', undefined);
    return ctx.report(result, (orders) =>
      orders.length ? orders.map(orderLine).join('\n') : 'No work orders.',
    );
  },
};

export const ordersExportCommand: Command = {
  ...specs.ordersExport,
  async run(ctx, args) {
    const orderId = args.positionals[0];
    const format = stringOption(args, 'format') ?? 'csv';
    if (!orderId || (format !== 'csv' && format !== 'json')) {
      ctx.io.stderr(`Usage: lineside orders export ${this.usage}`);
      return EXIT.usage;
    }
    const result = await ctx.call('exportOrder', { orderId, format });
    const out = stringOption(args, 'out');
    if (result.ok && out) {
      fs.writeFileSync(out, result.value.content);
      return ctx.report(result, (r) => `${r.rows} unit(s) written to ${out}`);
    }
    if (result.ok && !ctx.json) {
      process.stdout.write(result.value.content);
      return EXIT.ok;
    }
    return ctx.report(result, (r) => r.content);
  },
};

export const ordersVoidCommand: Command = {
  ...specs.ordersVoid,
  async run(ctx, args) {
    const claimId = args.positionals[0];
    const reason = stringOption(args, 'reason') as VoidReason | undefined;
    if (!claimId || !reason) {
      ctx.io.stderr(`Usage: lineside orders void ${this.usage}`);
      return EXIT.usage;
    }
    const note = stringOption(args, 'note');
    const result = await ctx.call('voidUnit', { claimId, reason, ...(note ? { note } : {}) });
    return ctx.report(result, (u) => `${u.claimId} voided (${reason})`);
  },
};

export const ordersActiveCommand: Command = {
  ...specs.ordersActive,
  async run(ctx, args) {
    const orderId = args.positionals[0];
    const result =
      orderId || args.values.clear
        ? await ctx.call('setActiveOrder', { orderId: orderId ?? null })
        : await ctx.call('getActiveOrder', undefined);
    return ctx.report(result, (a) =>
      a.order ? `Active: ${orderLine(a.order)}  (set by ${a.setBy} at ${a.setAt})` : 'No active work order.',
    );
  },
};
