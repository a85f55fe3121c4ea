/** `lineside line ...`: line mode (PostgreSQL) from a terminal; every command goes through dispatch. */
import fs from 'node:fs';
import type { LineLeaseReport, LineReport, LineStatusReport } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

export function lineStatusText(s: LineStatusReport): string {
  if (s.state === 'standalone')
    return 'Standalone: this station is not on a line (lineside line connect --url postgres://...).';
  const head =
    s.state === 'connected'
      ? `Connected to ${s.url}`
      : s.state === 'offline'
        ? `Offline since ${s.since ?? '?'} (${s.url})`
        : s.state === 'refused'
          ? `Refused by ${s.url}`
          : `Connecting to ${s.url}`;
  const lines = [
    head + (s.source === 'environment' ? ' [from LINESIDE_LINE_URL]' : ''),
    s.pending > 0
      ? `Catching up: ${s.pending} events not on the line yet`
      : 'Outbox: everything is on the line',
    `Leases: blocks of ${s.blockSize}, refilled below ${s.lowWater}`,
  ];
  if (s.activeOrder)
    lines.push(
      `Order ${s.activeOrder.orderId}: ${s.activeOrder.left} of ${s.activeOrder.leased} leased IDs left`,
    );
  if (s.message) lines.push(s.message);
  if (s.clockWarning) lines.push(s.clockWarning);
  return lines.join('\n');
}

function leaseText(l: LineLeaseReport): string {
  return `${l.leaseId}\t${l.orderId}\t${l.stationName}\t${l.leasedAt}\t${l.state}\t${l.count} leased, ${l.used} used, ${l.left} left, ${l.voided} voided`;
}

function reportText(r: LineReport): string {
  const pct = (v: number | null) => (v === null ? '-' : `${v}%`);
  const lines = [
    `Order ${r.orderId}: ${r.totals.passed} passed, ${r.totals.failed} failed, first-pass yield ${pct(r.totals.firstPassYield)}`,
    `IDs: ${r.reserved} reserved on the line, ${r.totals.leased} leased, ${r.totals.used} used, ${r.totals.left} left at stations, ${r.free} not leased`,
  ];
  for (const s of r.stations) {
    lines.push(
      `  ${s.stationName}: ${s.passed} passed, ${s.failed} failed, FPY ${pct(s.firstPassYield)}; IDs ${s.leased} leased, ${s.used} used, ${s.left} left`,
    );
    for (const slot of s.slots)
      lines.push(
        `    slot ${slot.slot ?? '-'}: ${slot.passed} passed, ${slot.failed} failed, FPY ${pct(slot.firstPassYield)}`,
      );
  }
  for (const p of r.pareto)
    lines.push(`  failure ${p.code}: ${p.count} (${p.cumulativePct}% cumulative) ${p.message}`);
  return lines.join('\n');
}

const statusCommand: Command = {
  ...specs.lineStatus,
  async run(ctx) {
    return ctx.report(await ctx.call('getLineStatus', undefined), lineStatusText);
  },
};

const connectCommand: Command = {
  ...specs.lineConnect,
  async run(ctx, args) {
    const url = stringOption(args, 'url');
    if (!url) {
      ctx.io.stderr('Usage: lineside line connect --url postgres://user:password@host:5432/database');
      return EXIT.usage;
    }
    return ctx.report(await ctx.call('connectLine', { url }), lineStatusText);
  },
};

const disconnectCommand: Command = {
  ...specs.lineDisconnect,
  async run(ctx) {
    return ctx.report(await ctx.call('disconnectLine', undefined), lineStatusText);
  },
};

const settingsCommand: Command = {
  ...specs.lineSettings,
  async run(ctx, args) {
    const blockSize = Number(stringOption(args, 'block-size'));
    const lowWater = Number(stringOption(args, 'low-water'));
    if (!Number.isInteger(blockSize) || !Number.isInteger(lowWater)) {
      ctx.io.stderr('Usage: lineside line settings --block-size N --low-water M');
      return EXIT.usage;
    }
    return ctx.report(await ctx.call('setLineSettings', { blockSize, lowWater }), lineStatusText);
  },
};

const reportCommand: Command = {
  ...specs.lineReport,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const format = stringOption(args, 'format');
    const out = stringOption(args, 'out');
    if (!orderId || (format !== undefined && format !== 'csv' && format !== 'json')) {
      ctx.io.stderr('Usage: lineside line report --order ID [--format csv|json] [--out FILE]');
      return EXIT.usage;
    }
    if (format === undefined && out === undefined)
      return ctx.report(await ctx.call('getLineReport', { orderId }), reportText);
    const result = await ctx.call('exportLineReport', {
      orderId,
      format: format === 'json' ? 'json' : 'csv',
    });
    if (!result.ok || !out) return ctx.report(result, (e) => e.content.trimEnd());
    fs.writeFileSync(out, result.value.content);
    return ctx.report(result, () => `Wrote ${out}`);
  },
};

const leasesCommand: Command = {
  ...specs.lineLeases,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    return ctx.report(await ctx.call('listLineLeases', orderId ? { orderId } : {}), (list) =>
      list.length ? list.map(leaseText).join('\n') : 'No leases on the line.',
    );
  },
};

const returnCommand: Command = {
  ...specs.lineReturn,
  async run(ctx, args) {
    const leaseId = args.positionals[0];
    if (!leaseId) {
      ctx.io.stderr('Usage: lineside line lease return <lease-id> [--force]');
      return EXIT.usage;
    }
    return ctx.report(
      await ctx.call('returnLineLease', { leaseId, force: args.values.force === true }),
      leaseText,
    );
  },
};

const voidCommand: Command = {
  ...specs.lineVoid,
  async run(ctx, args) {
    const leaseId = args.positionals[0];
    if (!leaseId) {
      ctx.io.stderr('Usage: lineside line lease void <lease-id>');
      return EXIT.usage;
    }
    return ctx.report(await ctx.call('voidLineLease', { leaseId }), leaseText);
  },
};

export const lineCommands: Command[] = [
  statusCommand,
  connectCommand,
  disconnectCommand,
  settingsCommand,
  reportCommand,
  leasesCommand,
  returnCommand,
  voidCommand,
];
