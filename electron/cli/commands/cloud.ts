import fs from 'node:fs';
import type { CloudStatusReport } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

function statusText(s: CloudStatusReport): string {
  const c = s.counts;
  const lines = [
    `Outbox: ${c.pending} pending, ${c.sending} sending, ${c.registered} registered, ${c.claimed} claimed, ${c.rejected} rejected`,
    `Sender: ${s.running ? 'running' : 'paused'} in this process (${s.ratePerMinute} answered in the last minute)`,
  ];
  for (const f of s.failures)
    lines.push(
      `  ${f.claimId}\t${f.kind}\t${f.status ?? '-'}\t${f.reason}${f.nextAttemptAt ? ` (next ${f.nextAttemptAt})` : ''}`,
    );
  return lines.join('\n');
}

export const cloudStatusCommand: Command = {
  ...specs.cloudStatus,
  async run(ctx) {
    return ctx.report(await ctx.call('getCloudStatus', undefined), statusText);
  },
};

export const cloudPushCommand: Command = {
  ...specs.cloudPush,
  async run(ctx, args) {
    const wait = Number(stringOption(args, 'wait') ?? '600');
    const handle = ctx.services();
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), wait * 1000);
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    // Sends from this process without changing the station's paused/running choice.
    handle.cloud.sender.start();
    await handle.cloud.sender.drained(stop.signal);
    clearTimeout(timer);
    process.off('SIGINT', interrupt);
    await handle.cloud.close();
    const status = handle.cloud.status();
    const code = ctx.report({ ok: true, value: status }, statusText);
    if (code !== EXIT.ok) return code;
    if (status.counts.pending + status.counts.sending > 0) {
      ctx.io.stderr(
        'Some registrations are still waiting: the builder is not reachable. Run this again later.',
      );
      return EXIT.unavailable;
    }
    return status.counts.rejected > 0 ? EXIT.failed : EXIT.ok;
  },
};

export const cloudRetryCommand: Command = {
  ...specs.cloudRetry,
  async run(ctx, args) {
    const claimIds = args.positionals.length ? args.positionals : undefined;
    return ctx.report(
      await ctx.call('retryCloudRegistrations', claimIds ? { claimIds } : {}),
      (r) => `${r.retried} queued again`,
    );
  },
};

export const cloudReportCommand: Command = {
  ...specs.cloudReport,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const format = stringOption(args, 'format');
    const out = stringOption(args, 'out');
    if (!orderId || (format !== undefined && format !== 'csv' && format !== 'json')) {
      ctx.io.stderr('Usage: lineside cloud report --order ID [--format csv|json] [--out FILE]');
      return EXIT.usage;
    }
    if (format === undefined && out === undefined) {
      return ctx.report(await ctx.call('getCloudReport', { orderId }), (r) =>
        [
          `Order ${r.orderId}: ${r.counts.registered} registered, ${r.counts.claimed} claimed, ${r.counts.rejected} rejected, ${r.counts.pending} pending`,
          ...r.units
            .filter((u) => u.status === 'rejected')
            .map((u) => `  ${u.claimId}\trejected\t${u.reason ?? ''}`),
          ...(r.needsProvisionFile.length
            ? [
                `Pre-claimed units still without provision.json5 (rework each: lineside provision --order O --port P --rework ID): ${r.needsProvisionFile.join(', ')}`,
              ]
            : []),
        ].join('\n'),
      );
    }
    const result = await ctx.call('exportCloudReport', {
      orderId,
      format: format === 'json' ? 'json' : 'csv',
    });
    if (!result.ok || !out) return ctx.report(result, (e) => e.content.trimEnd());
    fs.writeFileSync(out, result.value.content);
    return ctx.report(result, () => `Wrote ${out}`);
  },
};

export const cloudTokenCommand: Command = {
  ...specs.cloudToken,
  async run(ctx, args) {
    const label = stringOption(args, 'label');
    if (!label) {
      ctx.io.stderr('Usage: lineside cloud token add --label NAME  (the token on standard input)');
      return EXIT.usage;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const token = Buffer.concat(chunks).toString('utf8').trim();
    return ctx.report(
      await ctx.call('storeProductToken', { label, token }),
      (t) => `Stored ${t.label} as ${t.ref} (${t.fingerprint})`,
    );
  },
};

export const cloudTokensCommand: Command = {
  ...specs.cloudTokens,
  async run(ctx) {
    return ctx.report(await ctx.call('listProductTokens', undefined), (list) =>
      list.length
        ? list.map((t) => `${t.ref}\t${t.label}\t${t.fingerprint}`).join('\n')
        : 'No product tokens stored.',
    );
  },
};
