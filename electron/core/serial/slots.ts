import type { SerialPortReport, SlotBinding, SlotMatch, SlotReport } from '../../shared/contract';

const same = (a: string | null, b: string | undefined) =>
  b === undefined || b === '' || (a ?? '').toLowerCase() === b.toLowerCase();

function matches(match: SlotMatch, port: SerialPortReport): boolean {
  switch (match.kind) {
    case 'location':
      return port.location === match.location;
    case 'usb':
      return (
        same(port.vendorId, match.vendorId) &&
        same(port.productId, match.productId) &&
        same(port.serialNumber, match.serialNumber)
      );
    case 'path':
      return port.path === match.path;
  }
}

function describe(match: SlotMatch): string {
  switch (match.kind) {
    case 'location':
      return `USB location ${match.location}`;
    case 'usb':
      return [
        match.vendorId && `VID ${match.vendorId}`,
        match.productId && `PID ${match.productId}`,
        match.serialNumber && `serial ${match.serialNumber}`,
      ]
        .filter(Boolean)
        .join(' ');
    case 'path':
      return match.path;
  }
}

/**
 * Resolves each slot to the port path it has right now. A typed path (a pty, a port the OS does
 * not list) resolves to itself; a location or USB filter must match exactly one listed port.
 */
export function resolveSlots(
  bindings: readonly SlotBinding[],
  ports: readonly SerialPortReport[],
): SlotReport[] {
  return [...bindings]
    .sort((a, b) => a.slot - b.slot)
    .map((binding) => {
      if (binding.match.kind === 'path') return { binding, path: binding.match.path, problem: null };
      const found = ports.filter((p) => matches(binding.match, p));
      if (found.length === 1) return { binding, path: found[0]!.path, problem: null };
      const what = describe(binding.match);
      return {
        binding,
        path: null,
        problem:
          found.length === 0
            ? `Slot ${binding.slot}: nothing is plugged in at ${what}. Check the cable.`
            : `Slot ${binding.slot}: ${found.length} ports match ${what} (${found.map((p) => p.path).join(', ')}). Bind the slot to a USB location instead.`,
      };
    });
}
