import path from 'node:path';
import type { LabelFileFormat, LabelPrintEntry, PrinterSetup, Result } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import * as specs from './specs';
import type { CommandContext } from '../context';

const FORMATS = ['zpl', 'pdf', 'png'];

function formatOption(ctx: CommandContext, args: ParsedArgs): LabelFileFormat | null | undefined {
  const format = stringOption(args, 'format');
  if (format === undefined) return undefined;
  if (!FORMATS.includes(format)) {
    ctx.io.stderr(`--format must be one of ${FORMATS.join(', ')}`);
    return null;
  }
  return format as LabelFileFormat;
}

const entryLine = (p: LabelPrintEntry) =>
  `${p.at}  ${p.kind.padEnd(7)}  ${p.claimId}  ${p.templateVersion}  ${p.printer}  ${p.operator}${p.reason ? `  (${p.reason})` : ''}`;

export const labelsTemplatesCommand: Command = {
  ...specs.labelsTemplates,
  async run(ctx) {
    const result = await ctx.call('listLabelTemplates', undefined);
    return ctx.report(result, (r) =>
      [
        ...r.templates.map(
          (t) => `${t.name}\t${t.widthMm} x ${t.heightMm} mm\t${t.dpi} dpi\t${t.source}\t${t.versionTag}`,
        ),
        ...r.broken.map((b) => `${b.name}\tBROKEN: ${b.message}`),
        `Station templates go in ${r.stationDir}`,
      ].join('\n'),
    );
  },
};

export const labelsRenderCommand: Command = {
  ...specs.labelsRender,
  async run(ctx, args) {
    const format = formatOption(ctx, args);
    if (format === null) return EXIT.usage;
    const sheet = stringOption(args, 'sheet');
    if (sheet !== undefined && !['label', 'A4', 'Letter'].includes(sheet)) {
      ctx.io.stderr('--sheet must be one of label, A4, Letter');
      return EXIT.usage;
    }
    const orderId = stringOption(args, 'order');
    const units = (args.values.unit as string[] | undefined) ?? [];
    if (!orderId && units.length === 0) {
      ctx.io.stderr(`Usage: lineside labels render ${labelsRenderCommand.usage}`);
      return EXIT.usage;
    }
    const out = stringOption(args, 'out');
    const template = stringOption(args, 'template');
    const result = await ctx.call('saveLabels', {
      format: format ?? 'pdf',
      ...(orderId ? { orderId } : { claimIds: units }),
      ...(out ? { dir: path.resolve(out) } : {}),
      ...(template ? { template } : {}),
      ...(sheet ? { sheet: sheet as 'label' | 'A4' | 'Letter' } : {}),
    });
    return ctx.report(result, (r) =>
      [...r.files, `${r.labels} label(s) in ${r.files.length} file(s)`].join('\n'),
    );
  },
};

export const labelsPrintCommand: Command = {
  ...specs.labelsPrint,
  async run(ctx, args) {
    const format = formatOption(ctx, args);
    if (format === null) return EXIT.usage;
    const orderId = stringOption(args, 'order');
    const claimId = stringOption(args, 'unit');
    const out = stringOption(args, 'out');
    if ((!orderId && !claimId) || (format && !out) || (!format && out)) {
      ctx.io.stderr(`Usage: lineside labels print ${labelsPrintCommand.usage}`);
      return EXIT.usage;
    }
    const printer: PrinterSetup | undefined =
      format && out ? { kind: 'file', dir: path.resolve(out), format } : undefined;
    if (claimId) {
      const result = await ctx.call('printUnitLabel', { claimId, ...(printer ? { printer } : {}) });
      return ctx.report(result, entryLine);
    }
    const started = await ctx.call('printOrderLabels', {
      orderId: orderId!,
      ...(printer ? { printer } : {}),
    });
    if (!started.ok) return ctx.report(started, () => '');
    const job = await ctx.services().jobs.wait(started.value.jobId);
    const result: Result<typeof job> = job.error ? { ok: false, error: job.error } : { ok: true, value: job };
    return ctx.report(result, (j) => {
      const r = j.result as { printed: number; alreadyPrinted: number; notVerified: number };
      return (
        `Order ${orderId}: ${r.printed} label(s) printed now, ${r.alreadyPrinted} printed before` +
        (r.notVerified ? `, ${r.notVerified} unit(s) not verified (no label)` : '')
      );
    });
  },
};

export const labelsReprintCommand: Command = {
  ...specs.labelsReprint,
  async run(ctx, args) {
    const claimId = args.positionals[0];
    const reason = stringOption(args, 'reason');
    if (!claimId || !reason) {
      ctx.io.stderr(`Usage: lineside labels reprint ${labelsReprintCommand.usage}`);
      return EXIT.usage;
    }
    return ctx.report(await ctx.call('reprintLabel', { claimId, reason }), entryLine);
  },
};

export const labelsHistoryCommand: Command = {
  ...specs.labelsHistory,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const claimId = stringOption(args, 'unit');
    const limit = stringOption(args, 'limit');
    const result = await ctx.call('listLabelPrints', {
      ...(orderId ? { orderId } : {}),
      ...(claimId ? { claimId } : {}),
      ...(limit ? { limit: Number(limit) } : {}),
    });
    return ctx.report(result, (rows) =>
      rows.length ? rows.map(entryLine).join('\n') : 'No label printed yet.',
    );
  },
};

export const labelsPrinterCommand: Command = {
  ...specs.labelsPrinter,
  async run(ctx, args) {
    const zpl = stringOption(args, 'zpl');
    const system = stringOption(args, 'system');
    const files = stringOption(args, 'files');
    const format = formatOption(ctx, args);
    if (format === null) return EXIT.usage;
    let printer: PrinterSetup | undefined;
    if (zpl) {
      const m = /^(.+):(\d+)$/.exec(zpl);
      printer = { kind: 'zpl-tcp', host: m ? m[1]! : zpl, port: m ? Number(m[2]) : 9100 };
    } else if (system)
      printer = { kind: 'system', name: system, server: stringOption(args, 'server') ?? null };
    else if (files) printer = { kind: 'file', dir: path.resolve(files), format: format ?? 'pdf' };
    const result = printer
      ? await ctx.call('updateLabelSettings', { printer })
      : await ctx.call('getLabelSettings', undefined);
    return ctx.report(result, (s) => {
      const p = s.printer;
      const where = !p
        ? 'none set'
        : p.kind === 'zpl-tcp'
          ? `ZPL over TCP to ${p.host}:${p.port}`
          : p.kind === 'system'
            ? `system printer ${p.name}${p.server ? ` on ${p.server}` : ''}`
            : `${p.format.toUpperCase()} files in ${p.dir}`;
      return `Label printer: ${where}\nTemplate: ${s.template}`;
    });
  },
};

export const labelsTestCommand: Command = {
  ...specs.labelsTest,
  async run(ctx) {
    return ctx.report(await ctx.call('printTestLabel', undefined), entryLine);
  },
};

export const labelsCommands: Command[] = [
  labelsTemplatesCommand,
  labelsRenderCommand,
  labelsPrintCommand,
  labelsReprintCommand,
  labelsHistoryCommand,
  labelsPrinterCommand,
  labelsTestCommand,
];
