import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { createShellPty } from '../support/ptyPair';
import { makeTempDir } from '../support/tempDir';

test('a serial terminal on a typed pty path talks to the real shell behind it', async ({ app }) => {
  const temp = makeTempDir();
  fs.writeFileSync(path.join(temp.dir, 'marker.txt'), 'unit-7\n');
  const pty = await createShellPty({ cwd: temp.dir });
  try {
    await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
    await expect(app.getByRole('heading', { name: 'Ports & fixture slots' })).toBeVisible();
    await expect(app.getByRole('table', { name: 'Serial ports' })).toBeVisible();

    await app.getByLabel('Port path').fill(pty.a);
    await app.getByRole('button', { name: 'Open terminal' }).click();
    const terminal = app.getByTestId('terminal');
    await expect(app.getByText(`${pty.a} at 115200 baud`)).toBeVisible();
    await terminal.click();
    await app.keyboard.type('cat marker.txt; echo $((6*7))done\n');
    await expect(terminal).toContainText('unit-7');
    await expect(terminal).toContainText('42done');

    await app.getByRole('button', { name: 'Close terminal' }).click();
    await expect(terminal).toHaveCount(0);
  } finally {
    await pty.stop();
    temp.cleanup();
  }
});

test('fixture slots are bound and show what they resolve to', async ({ app, station }) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  // One click, even before the screen has loaded its slots: the screen keeps it (PortsSection.test.tsx).
  await app.getByRole('button', { name: 'Add slot' }).click();
  await app.getByLabel('Bound by').selectOption('path');
  await app.getByLabel('Slot 1 match').fill('/tmp/fixture-slot-1');
  await app.getByRole('button', { name: 'Add slot' }).click();
  await app.getByLabel('Slot 2 match').fill('9-9.9');
  await app.getByRole('button', { name: 'Apply slots' }).click();
  await expect(app.getByTestId('slot-1-state')).toHaveText('/tmp/fixture-slot-1');
  await expect(app.getByTestId('slot-2-state')).toHaveText(
    'Slot 2: nothing is plugged in at USB location 9-9.9. Check the cable.',
  );
  expect(station.store.settings.get('serial.slots', [])).toEqual([
    { slot: 1, match: { kind: 'path', path: '/tmp/fixture-slot-1' } },
    { slot: 2, match: { kind: 'location', location: '9-9.9' } },
  ]);
});

test("a slot's terminal opens on the slot's port, for when something goes wrong", async ({
  app,
  station,
}) => {
  const temp = makeTempDir();
  const pty = await createShellPty({ cwd: temp.dir });
  try {
    await station.services.configureStation({ slotCount: 2, ports: { '2': pty.a } });
    await app.reload();
    const slot2 = app.getByRole('article', { name: 'Slot 2' });
    await slot2.getByRole('button', { name: 'Terminal' }).click();
    const terminal = slot2.getByTestId('terminal');
    await expect(slot2.getByText(`Slot 2: ${pty.a}`)).toBeVisible();
    await terminal.click();
    // Typing goes to the unit's console, not to the scanner.
    await app.keyboard.type('echo slot$((40+2))ok\n');
    await expect(terminal).toContainText('slot42ok');
    expect((await station.services.getStationState()).slots.every((s) => s.status === 'idle')).toBe(true);
    await slot2.getByRole('button', { name: 'Close terminal' }).click();
    await expect(slot2.getByRole('button', { name: 'Terminal' })).toBeVisible();
  } finally {
    await pty.stop();
    temp.cleanup();
  }
});
