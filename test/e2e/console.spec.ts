import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { expect, test } from './fixtures';
import { holdsOpen } from '../support/openFiles';
import { createPtyPair } from '../support/ptyPair';

/** The device side of the pty: what the unit received, and a way to talk back. */
async function deviceSide(path: string) {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  let received = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  return {
    received: () => received,
    write: (text: string) => new Promise<void>((r) => port.write(text, () => port.drain(() => r()))),
    close: () => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())),
  };
}

test('the console sends with the chosen line ending, shows timestamps and hex, clears, saves and releases the port', async ({
  app,
}) => {
  const pty = await createPtyPair();
  const device = await deviceSide(pty.b!);
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Console' }).click();
    const openButton = app.getByRole('button', { name: 'Open console' });
    const closeButton = app.getByRole('button', { name: 'Close console' });
    await expect(openButton).toBeDisabled();
    await expect(closeButton).toBeDisabled();
    await app.getByLabel('Console port').fill(pty.a);
    await app.getByLabel('Log to a file').uncheck();
    await expect(openButton).toBeEnabled();
    await openButton.click();
    await expect(closeButton).toBeEnabled();
    await expect(openButton).toBeDisabled();
    expect(holdsOpen(pty.a)).toBe(true);

    // CRLF reaches the unit byte for byte.
    await app.getByLabel('Line ending').selectOption('crlf');
    await app.getByLabel('Send', { exact: true }).fill('AT+RST');
    await app.getByRole('button', { name: 'Send', exact: true }).click();
    await expect
      .poll(() => device.received().toString('hex'))
      .toBe(Buffer.from('AT+RST\r\n').toString('hex'));
    // And the other endings.
    await app.getByLabel('Line ending').selectOption('none');
    await app.getByLabel('Send', { exact: true }).fill('x');
    await app.getByLabel('Send', { exact: true }).press('Enter');
    await app.getByLabel('Line ending').selectOption('lf');
    await app.getByLabel('Send', { exact: true }).fill('y');
    await app.getByLabel('Send', { exact: true }).press('Enter');
    await expect.poll(() => device.received().toString('latin1')).toBe('AT+RST\r\nxy\n');

    // What the unit prints, with the time it arrived, and as hex.
    await device.write('boot ok\r\n');
    const lines = app.getByTestId('console-lines');
    const rx = lines.locator('.console-rx').filter({ hasText: 'boot ok' });
    await expect(rx).toHaveCount(1);
    await expect(rx.locator('.console-time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
    await app.getByLabel('Hex').check();
    await expect(lines.locator('.console-rx').last()).toContainText('62 6f 6f 74 20 6f 6b 0d 0a');
    await expect(lines.locator('.console-tx').first()).toContainText('41 54 2b 52 53 54 0d 0a');
    await app.getByLabel('Hex').uncheck();
    await app.getByLabel('Timestamps').uncheck();
    await expect(lines.locator('.console-time')).toHaveCount(0);

    const download = app.waitForEvent('download');
    await app.getByRole('button', { name: 'Save log' }).click();
    const file = await (await download).path();
    const saved = fs.readFileSync(file, 'utf8');
    expect(saved).toMatch(/^\S+Z > AT\+RST$/m);
    expect(saved).toMatch(/^\S+Z < boot ok$/m);

    await app.getByRole('button', { name: 'Clear' }).click();
    await expect(lines.locator('.console-line')).toHaveCount(0);

    await closeButton.click();
    await expect(openButton).toBeEnabled();
    await expect.poll(() => holdsOpen(pty.a)).toBe(false);
  } finally {
    await device.close();
    await pty.stop();
  }
});

test('leaving the Console tab, or closing the tab of the browser, releases the port', async ({
  app,
  context,
  bridge,
}) => {
  const pty = await createPtyPair();
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Console' }).click();
    await app.getByLabel('Console port').fill(pty.a);
    await app.getByRole('button', { name: 'Open console' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(true);
    await app.getByRole('tab', { name: 'Device identity' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(false);

    // A second page opens the port, then its browser tab goes away without closing anything.
    const other = await context.newPage();
    await other.goto(bridge.appUrl + '#/diagnostics');
    await other.getByRole('tab', { name: 'Console' }).click();
    await other.getByLabel('Console port').fill(pty.a);
    await other.getByRole('button', { name: 'Open console' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(true);
    await other.close({ runBeforeUnload: false });
    await expect.poll(() => holdsOpen(pty.a), { timeout: 15_000 }).toBe(false);
  } finally {
    await pty.stop();
  }
});
