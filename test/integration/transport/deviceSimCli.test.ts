/** `npm run device:sim -- --pty` as an evaluator runs it: a child process that prints the port to open. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSerialLink } from '../../../electron/core/serial/link';
import { openFramedSession } from '../../../electron/core/transport/framed';
import { makeTempDir } from '../../support/tempDir';

describe('device simulator command', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('prints its pty, shows the claim ID on the console, and speaks the framed protocol', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    fs.mkdirSync(path.join(temp.dir, 'config'));
    fs.writeFileSync(
      path.join(temp.dir, 'config/device.json5'),
      "{ product: '01H4R15D3478JD26YDYK408XE6', id: 'M72DANY8BZ' }",
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/deviceSim/cli.ts', '--pty', '--dir', temp.dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(
      () =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/Open this port in Lineside: (\S+)/);
    const port = /Open this port in Lineside: (\S+)/.exec(out)![1]!;

    // The evaluator's view: open the port, press Enter, read the claim ID off the console.
    const link = await createSerialLink({ path: port, baudRate: 115200 });
    let text = '';
    link.onData((c) => (text += c.toString()));
    await link.write('\r');
    await expect.poll(() => text, { timeout: 5000 }).toContain('Device Claim ID: M72DANY8BZ');
    await link.close();

    const session = await openFramedSession({
      path: port,
      settings: { kind: 'framed', baudRate: 115200, deviceDir: '' },
    });
    expect(session.identity).toMatchObject({ protocolVersion: 3, serial: 'SIM-0001' });
    expect((await session.readFile('config/device.json5')).toString()).toContain('M72DANY8BZ');
    await session.close();
  });
});
