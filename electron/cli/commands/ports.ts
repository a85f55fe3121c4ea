import type { Command } from '../command';
import * as specs from './specs';

/** `lineside ports`: the serial ports the OS lists, and what each fixture slot resolves to. */
export const portsCommand: Command = {
  ...specs.ports,
  async run(ctx) {
    const ports = await ctx.call('listPorts', undefined);
    if (!ports.ok) return ctx.report(ports, () => '');
    const slots = await ctx.call('getSlots', undefined);
    if (!slots.ok) return ctx.report(slots, () => '');
    const value = { ...ports.value, slots: slots.value };
    return ctx.report({ ok: true, value }, (v) =>
      [
        ...v.ports.map(
          (p) =>
            `${p.path}\t${p.location ?? '-'}\t${p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '-'}\t${p.serialNumber ?? '-'}\t${[p.manufacturer, p.product].filter(Boolean).join(' ') || '-'}`,
        ),
        `${v.ports.length} port(s)${v.ports.length === 0 ? ' (ptys are never listed: give their path)' : ''}`,
        ...v.warnings.map((w) => `warning: ${w}`),
        ...v.slots.map((s) => `slot ${s.binding.slot}: ${s.path ?? s.problem}`),
      ].join('\n'),
    );
  },
};
