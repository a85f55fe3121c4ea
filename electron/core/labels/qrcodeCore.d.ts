/**
 * The encoder alone of the `qrcode` package (its `create`), without the renderers the package
 * entry loads (PNG via pngjs, SVG, terminal): a good part of the CLI's start-up otherwise.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  import type { QRCode, QRCodeOptions, QRCodeSegment } from 'qrcode';
  export function create(text: string | QRCodeSegment[], options?: QRCodeOptions): QRCode;
}
