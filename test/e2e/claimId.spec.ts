import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { PortListReport } from '../../electron/shared/contract';
import type { PortLister } from '../../electron/core/serial/ports';
import { expect, test as base } from './fixtures';
import { holdsOpen } from '../support/openFiles';
import { createPtyPair, type PtyPair } from '../support/ptyPair';
import { createTestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

/**
 * ptys never appear in a real port listing, so "plugging a board in" is a port list the test
 * edits: the station's own watcher polls it and reports the new port like a USB plug-in.
 */
function listedPorts(file: string): PortLister {
  const report = async (): Promise<PortListReport> => ({
    ports: (JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).map((p) => ({
      path: p,
      vendorId: '303a',
      productId: '1001',
      serialNumber: null,
      manufacturer: 'Espressif',
      product: null,
      location: '1-1',
    })),
    warnings: [],
  });
  return { list: report, listFast: report };
}

const test = base.extend<{ plugFile: string }>({
  plugFile: async ({}, use) => {
    const temp = makeTempDir('lineside-plug-');
    const file = path.join(temp.dir, 'ports.json');
    fs.writeFileSync(file, '[]');
    await use(file);
    temp.cleanup();
  },
  station: async ({ plugFile }, use) => {
    const station = createTestStation({
      transport: 'browser',
      ports: listedPorts(plugFile),
      portPollMs: 200,
    });
    await use(station);
    station.cleanup();
  },
});

async function boardSide(pty: PtyPair) {
  const port = new SerialPort({ path: pty.b!, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('data', () => undefined);
  return {
    say: (text: string) => new Promise<void>((r) => port.write(text, () => port.drain(() => r()))),
    close: () => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())),
  };
}

test('a board plugged in while the claim-ID view is open is watched at once, and its ID shown', async ({
  app,
  plugFile,
}) => {
  const pty = await createPtyPair();
  const board = await boardSide(pty);
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await expect(app.getByRole('tab', { name: "Get a dev board's claim ID" })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(holdsOpen(pty.a)).toBe(false);
    fs.writeFileSync(plugFile, JSON.stringify([pty.a]));
    await expect(app.getByTestId('claim-watching')).toContainText(`${pty.a} was plugged in.`);
    await expect.poll(() => holdsOpen(pty.a)).toBe(true);
    await board.say('I/ioto: Device Claim ID: 9QX7KD2M4B\r\n');
    await expect(app.getByTestId('claim-id')).toHaveText('9QX7KD2M4B');
    await expect(app.getByLabel('Serial port')).toHaveValue(pty.a);
    // Found: the port is let go.
    await expect.poll(() => holdsOpen(pty.a)).toBe(false);
  } finally {
    await board.close();
    await pty.stop();
  }
});

test('closing the claim-ID view releases the port it watched', async ({ app }) => {
  const pty = await createPtyPair();
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByLabel('Serial port').fill(pty.a);
    await app.getByRole('button', { name: 'Watch console' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(true);
    await app.getByRole('tab', { name: 'Console' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(false);

    await app.getByRole('tab', { name: "Get a dev board's claim ID" }).click();
    await app.getByLabel('Serial port').fill(pty.a);
    await app.getByRole('button', { name: 'Watch console' }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(true);
    await app.getByRole('link', { name: /Station/ }).click();
    await expect.poll(() => holdsOpen(pty.a)).toBe(false);
  } finally {
    await pty.stop();
  }
});

test('a board with no claim ID gets a sentence saying why and what to try', async ({ app }) => {
  test.setTimeout(90_000);
  const pty = await createPtyPair();
  const board = await boardSide(pty);
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByLabel('Serial port').fill(pty.a);
    await app.getByRole('button', { name: 'Watch console' }).click();
    const status = app.getByTestId('claim-watching');
    await expect(status).toContainText(`Watching ${pty.a}`);
    await expect(status).toContainText(`Nothing has come from ${pty.a}`, { timeout: 30_000 });
    await expect(status).toContainText("press the board's reset button");
    await board.say('U-Boot 2024.01\r\nStarting kernel ...\r\n');
    await expect(status).toContainText('but no claim ID', { timeout: 15_000 });
    await expect(status).toContainText('check the baud rate');
  } finally {
    await board.close();
    await pty.stop();
  }
});
