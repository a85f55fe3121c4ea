import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { expect, it } from 'vitest';
import { createElectronLabelPrinter, labelPage } from '../../../electron/main/labelPrint';

/** A stand-in for BrowserWindow that records what the adapter asks of it (Electron cannot run here). */
function fakeWindow(outcome: [boolean, string]) {
  const seen: {
    options?: BrowserWindowConstructorOptions;
    url?: string;
    print?: unknown;
    destroyed: boolean;
  } = {
    destroyed: false,
  };
  class FakeWindow {
    webContents = {
      print: (opts: unknown, cb: (ok: boolean, reason: string) => void) => {
        seen.print = opts;
        cb(...outcome);
      },
      getPrintersAsync: async () => [{ name: 'Zebra_ZD421' }, { name: 'Office' }],
    };
    constructor(options: BrowserWindowConstructorOptions) {
      seen.options = options;
    }
    loadURL(url: string) {
      seen.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return seen.destroyed;
    }
    destroy() {
      seen.destroyed = true;
    }
  }
  return { Window: FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow, seen };
}

const job = {
  svg: '<svg width="50mm" height="30mm"></svg>',
  pdf: Buffer.alloc(0),
  widthMm: 50,
  heightMm: 30,
  printer: 'Zebra_ZD421',
  copies: 2,
  title: 'M72DANY8BZ',
};

it('prints silently to the named printer at the label size, from a hidden sandboxed window', async () => {
  const { Window, seen } = fakeWindow([true, '']);
  await createElectronLabelPrinter(Window).print(job);
  expect(seen.options).toMatchObject({ show: false, webPreferences: { sandbox: true, javascript: false } });
  expect(decodeURIComponent(seen.url!.split(',')[1]!)).toBe(labelPage(job));
  expect(labelPage(job)).toContain('@page{size:50mm 30mm;margin:0}');
  expect(seen.print).toEqual({
    silent: true,
    deviceName: 'Zebra_ZD421',
    printBackground: true,
    copies: 2,
    pageSize: { width: 50000, height: 30000 },
    margins: { marginType: 'none' },
  });
  expect(seen.destroyed).toBe(true);
});

it('a refused print says which printer and why; the printer list comes from Electron', async () => {
  const { Window, seen } = fakeWindow([false, 'Printer is offline']);
  const adapter = createElectronLabelPrinter(Window);
  await expect(adapter.print(job)).rejects.toThrow(
    'Printer Zebra_ZD421 did not take the label (Printer is offline): check it, then press Retry.',
  );
  expect(seen.destroyed).toBe(true);
  expect(await adapter.list()).toEqual(['Zebra_ZD421', 'Office']);
});
