import fs from 'node:fs';
import type { DeviceStoreReport, DeviceValueType, Result } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import * as specs from './specs';
import { PORT_NOTE } from './specs';
import type { CommandContext } from '../context';
import { readBoundedText } from '../../core/boundedRead';

/** Shell login: --user, the password from --password-file F or LINESIDE_SHELL_PASSWORD (never argv). */
function shellLogin(args: ParsedArgs): { user: string; password: string } | undefined {
  const user = stringOption(args, 'user');
  if (!user) return undefined;
  const file = stringOption(args, 'password-file');
  const password = file
    ? (readBoundedText(file, { what: 'password file', maxBytes: 64 * 1024 }).split(/\r?\n/)[0] ?? '')
    : (process.env.LINESIDE_SHELL_PASSWORD ?? '');
  return { user, password };
}

async function openSource(
  ctx: CommandContext,
  args: ParsedArgs,
  keys?: string[],
  waitForDevice = true,
): Promise<Result<DeviceStoreReport> | number> {
  const port = stringOption(args, 'port');
  if (port) {
    const transport = stringOption(args, 'transport');
    if (transport !== 'shell' && transport !== 'framed') {
      ctx.io.stderr(`--port needs --transport shell or --transport framed.\n${PORT_NOTE}`);
      return EXIT.usage;
    }
    const deviceDir = stringOption(args, 'device-dir');
    const baud = stringOption(args, 'baud');
    const passwordFile = stringOption(args, 'password-file');
    if (passwordFile && !fs.existsSync(passwordFile)) {
      ctx.io.stderr(`Cannot read the password file ${passwordFile}: check the path.`);
      return EXIT.usage;
    }
    const method = stringOption(args, 'method');
    if (method !== undefined && method !== 'auto' && method !== 'files' && method !== 'db-tool') {
      ctx.io.stderr('--method is auto, files or db-tool.');
      return EXIT.usage;
    }
    const timeout = stringOption(args, 'timeout');
    return ctx.call('openDeviceSerial', {
      path: port,
      transport,
      ...(deviceDir !== undefined ? { deviceDir } : {}),
      ...(baud ? { baudRate: Number(baud) } : {}),
      ...(method ? { method } : {}),
      ...(shellLogin(args) ? { login: shellLogin(args) } : {}),
      ...(timeout ? { timeoutMs: Math.round(Number(timeout) * 1000) } : {}),
    });
  }
  const db = stringOption(args, 'db');
  const url = stringOption(args, 'mqtt');
  if (db)
    return ctx.call('openDeviceDatabase', { dbPath: db, journalPath: stringOption(args, 'jnl') ?? null });
  const claimId = stringOption(args, 'claim-id');
  if (url && claimId) {
    const timeout = stringOption(args, 'timeout');
    const cert = stringOption(args, 'cert');
    const key = stringOption(args, 'key');
    const ca = stringOption(args, 'ca');
    return ctx.call('openDeviceMqtt', {
      url,
      claimId,
      ...(cert ? { certPath: cert } : {}),
      ...(key ? { keyPath: key } : {}),
      ...(ca ? { caPath: ca } : {}),
      ...(timeout ? { timeoutMs: Math.round(Number(timeout) * 1000) } : {}),
      ...(keys?.length ? { keys } : {}),
      ...(waitForDevice ? {} : { waitForDevice: false }),
    });
  }
  ctx.io.stderr(`Give --db PATH, --mqtt URL with --claim-id ID, or --port.\n${PORT_NOTE}`);
  return EXIT.usage;
}

export const storeDumpCommand: Command = {
  ...specs.storeDump,
  async run(ctx, args) {
    const ask = Array.isArray(args.values.ask) ? args.values.ask.filter((k) => typeof k === 'string') : [];
    const opened = await openSource(ctx, args, ask);
    if (typeof opened === 'number') return opened;
    if (!opened.ok) return ctx.report(opened, () => '');
    const { sourceId } = opened.value;
    try {
      if (opened.value.kind === 'mqtt') {
        // The device sends everything it has pending right away; give it a moment to finish.
        const settle = Number(stringOption(args, 'settle') ?? (ask.length ? '0' : '2'));
        await new Promise((r) => setTimeout(r, settle * 1000));
        const now = await ctx.call('listDeviceStores', undefined);
        const report = now.ok ? now.value.find((r) => r.sourceId === sourceId) : undefined;
        if (report && report.models.length === 0) {
          // Never an empty success: say what the mirror holds and why.
          for (const notice of report.notices) ctx.io.stderr(`Error: ${notice}`);
          ctx.io.stderr(
            'Name the keys to fetch with --ask KEY (repeat it), or restart the agent with --sync up.',
          );
          return EXIT.notFound;
        }
      }
      const model = stringOption(args, 'model');
      const format = stringOption(args, 'format') ?? (ctx.json ? 'json' : 'text');
      if (format === 'json' || format === 'csv') {
        const exported = await ctx.call('exportDeviceStore', {
          sourceId,
          format,
          ...(model ? { model } : {}),
        });
        if (!exported.ok) return ctx.report(exported, () => '');
        ctx.io.stdout(exported.value.text.trimEnd());
        const fresh = await ctx.call('listDeviceStores', undefined);
        const notices = fresh.ok ? (fresh.value.find((r) => r.sourceId === sourceId)?.notices ?? []) : [];
        for (const notice of notices) ctx.io.stderr(`Note: ${notice}`);
        return EXIT.ok;
      }
      const fresh = await ctx.call('listDeviceStores', undefined);
      const current = (fresh.ok ? fresh.value.find((r) => r.sourceId === sourceId) : null) ?? opened.value;
      const lines: string[] = [
        `${current.label}  (${current.kind}${current.byteOrder ? `, ${current.byteOrder}` : ''}${current.journalRecords !== null ? `, ${current.journalRecords} journal records` : ''})`,
      ];
      for (const name of model ? [model] : current.models.map((m) => m.name)) {
        const page = await ctx.call('listDeviceItems', { sourceId, model: name, limit: 1000 });
        if (!page.ok) return ctx.report(page, () => '');
        lines.push(`\n${name} (${page.value.total})`);
        for (const r of page.value.items)
          lines.push(`  ${r.key}\t${r.value}\t${r.type}\t${r.updated ?? '-'}`);
        if (page.value.total > page.value.items.length)
          lines.push(`  ... ${page.value.total - page.value.items.length} more (use --format json)`);
      }
      for (const notice of current.notices) lines.push(`\nNote: ${notice}`);
      ctx.io.stdout(lines.join('\n'));
      return EXIT.ok;
    } finally {
      await ctx.call('closeDeviceStore', { sourceId });
    }
  },
};

export const storeSetCommand: Command = {
  ...specs.storeSet,
  async run(ctx, args) {
    const [key, value] = args.positionals;
    if (!key || value === undefined) {
      ctx.io.stderr(`Usage: lineside store set ${this.usage ?? ''}`);
      return EXIT.usage;
    }
    if (stringOption(args, 'db')) {
      ctx.io.stderr(
        'A copied device.db is read-only: open the device over MQTT (--mqtt) or the framed protocol (--port P --transport framed) to change values.',
      );
      return EXIT.usage;
    }
    if (stringOption(args, 'port') && stringOption(args, 'transport') === 'shell') {
      ctx.io.stderr(
        'The serial shell reads the store only: use --transport framed or --mqtt to change values.',
      );
      return EXIT.usage;
    }
    // Over MQTT, an idle device that is already connected sends nothing by itself: write at once,
    // and the write's own confirmation (the device asked for the item) says whether it is there.
    const opened = await openSource(ctx, args, [], false);
    if (typeof opened === 'number') return opened;
    if (!opened.ok) return ctx.report(opened, () => '');
    try {
      const type = (stringOption(args, 'type') ?? 'string') as DeviceValueType;
      const result = await ctx.call('setDeviceItem', { sourceId: opened.value.sourceId, key, value, type });
      return ctx.report(result, (row) => `${row.key} = ${row.value} (${row.type}), confirmed by the device`);
    } finally {
      await ctx.call('closeDeviceStore', { sourceId: opened.value.sourceId });
    }
  },
};

export const claimIdCommand: Command = {
  ...specs.claimId,
  async run(ctx, args) {
    const path = stringOption(args, 'port');
    if (!path) {
      ctx.io.stderr('Usage: lineside evaluator claim-id --port PATH [--baud N] [--timeout S]');
      return EXIT.usage;
    }
    const baud = stringOption(args, 'baud');
    const timeout = stringOption(args, 'timeout');
    const askAfter = stringOption(args, 'ask-after');
    const started = await ctx.call('watchClaimId', {
      path,
      ...(baud ? { baudRate: Number(baud) } : {}),
      ...(askAfter !== undefined ? { askAfterMs: Math.round(Number(askAfter) * 1000) } : {}),
      ...(args.values.framed === true ? { framed: true } : {}),
      ...(timeout ? { timeoutMs: Math.round(Number(timeout) * 1000) } : {}),
    });
    if (!started.ok) return ctx.report(started, () => '');
    const job = await ctx.services().jobs.wait(started.value.jobId);
    const result =
      job.state === 'done'
        ? { ok: true as const, value: job.result as { claimId: string; claimUrl: string } }
        : {
            ok: false as const,
            error: job.error ?? { code: 'internal' as const, message: 'The watch ended without a result.' },
          };
    return ctx.report(result, (card) => `Device Claim ID: ${card.claimId}\nClaim it at: ${card.claimUrl}`);
  },
};
