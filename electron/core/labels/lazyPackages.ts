import type * as Pngjs from 'pngjs';
import type { create } from 'qrcode/lib/core/qrcode.js';
import { lazyRequire } from '../lazyModule';

/** pngjs, loaded when a label or logo is first read or drawn (not at start-up). */
export const pngjs = lazyRequire<typeof Pngjs>('pngjs');

/** qrcode's encoder (without its renderers), loaded when the first QR code is made. */
export const qrcode = lazyRequire<{ create: typeof create }>('qrcode/lib/core/qrcode.js');
