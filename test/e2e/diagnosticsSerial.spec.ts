import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { startSimulator } from '../support/deviceSim';
import { createShellPty } from '../support/ptyPair';
import { seedUnits } from '../support/station';
import { makeTempDir } from '../support/tempDir';

test("the unit's console in Diagnostics, logged to a file on the station", async ({ app }) => {
  const temp = makeTempDir();
  const pty = await createShellPty({ cwd: temp.dir });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Console' }).click();
    await app.getByLabel('Console port').fill(pty.a);
    await expect(app.getByLabel('Log to a file')).toBeChecked();
    await app.getByRole('button', { name: 'Open console' }).click();
    await app.getByLabel('Terminal (keyboard)').check();
    const terminal = app.getByTestId('terminal');
    await expect(app.getByText(`${pty.a} at 115200 baud`)).toBeVisible();
    const logPath = await app.getByTestId('console-log-path').innerText();
    await terminal.click();
    await app.keyboard.type('echo $((6*7))logged\n');
    await expect(terminal).toContainText('42logged');
    await expect.poll(() => fs.readFileSync(logPath, 'utf8')).toContain('42logged');
    await app.getByRole('button', { name: 'Close console' }).click();
    await expect(terminal).toHaveCount(0);
  } finally {
    await pty.stop();
    temp.cleanup();
  }
});

test("read a unit's identity over the framed protocol and compare it with the station's record", async ({
  app,
  station,
}) => {
  const temp = makeTempDir('lineside-sim-');
  fs.mkdirSync(path.join(temp.dir, 'config'));
  fs.writeFileSync(
    path.join(temp.dir, 'config', 'device.json5'),
    "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'M72DANY8BZ', profileHash: 'abc123' }\n",
  );
  seedUnits(station, ['M72DANY8BZ']);
  station.store.db
    .prepare('UPDATE units SET profile_hash = ? WHERE claim_id = ?')
    .run('def456', 'M72DANY8BZ');
  const sim = await startSimulator({ dir: temp.dir, baud: 921600 });
  try {
    await app.getByRole('link', { name: /Diagnostics/ }).click();
    await app.getByRole('tab', { name: 'Device identity' }).click();
    await app.getByLabel('Or the unit on serial port').fill(sim.path);
    await app.getByLabel('Identity transport').selectOption('framed');
    await app.getByRole('button', { name: 'Read identity from the unit' }).click();
    const record = app.getByRole('table', { name: 'Station record' });
    await expect(record.getByRole('row', { name: /claim ID/ })).toContainText('same');
    await expect(record.getByRole('row', { name: /profile hash/ })).toContainText('DIFFERENT');
  } finally {
    await sim.stop();
    temp.cleanup();
  }
});
