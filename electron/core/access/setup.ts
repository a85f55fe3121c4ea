import type { PrinterSetup } from '../../shared/contract';

/** The label printer in a technician's words, for the locked-setup summary. */
export function describePrinter(printer: PrinterSetup | null): string {
  if (!printer) return 'no label printer';
  switch (printer.kind) {
    case 'zpl-tcp':
      return `network printer ${printer.host}:${printer.port}`;
    case 'system':
      return `printer ${printer.name}`;
    case 'file':
      return `${printer.format.toUpperCase()} files in ${printer.dir}`;
  }
}
