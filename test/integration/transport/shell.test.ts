/**
 * The shell transport against a real /bin/sh on the far side of a socat pty pair, rooted in a temp
 * directory: what a Linux unit's serial console looks like to the station.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openShellSession, type ShellSession } from '../../../electron/core/transport/shell';
import type { DeviceFile, TransportSettings } from '../../../electron/core/transport/types';
import { createShellPty } from '../../support/ptyPair';
import { makeTempDir } from '../../support/tempDir';

const deviceJson5 = Buffer.from(
  "{\n  product: '01H4R15D3478JD26YDYK408XE6',\n  id: 'M72DANY8BZ',\n  name: 'Pump \\'7\\' $HOME `x` %s',\n}\n",
);

function files(): DeviceFile[] {
  const every = Buffer.alloc(256 * 3 + 17);
  for (let i = 0; i < every.length; i++) every[i] = i % 256;
  return [
    { path: 'config/device.json5', content: deviceJson5, mode: 0o644 },
    {
      path: 'config/provision.json5',
      content: Buffer.from("{ id: 'M72DANY8BZ', api: 'x', token: 't' }\n"),
      mode: 0o600,
    },
    { path: 'certs/ioto.key', content: Buffer.concat([every, randomBytes(1500)]), mode: 0o600 },
  ];
}

const LOGIN_SCRIPT = `
printf 'Poky (Yocto) 4.0 unit ttyS0\\n\\n'
while true; do
  printf 'unit login: '
  read user
  printf 'Password: '
  stty -echo 2>/dev/null
  read pass
  stty echo 2>/dev/null
  printf '\\n'
  if [ "$user" = root ] && [ "$pass" = 'se cret' ]; then exec /bin/sh -i; fi
  sleep 1
  echo 'Login incorrect'
done
`;

describe('shell transport over a real shell', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function unit(options: { command?: (dir: string) => string; env?: Record<string, string> } = {}) {
    const temp = makeTempDir('lineside-unit-');
    cleanups.push(temp.cleanup);
    const pty = await createShellPty({
      cwd: temp.dir,
      command: options.command?.(temp.dir),
      env: options.env,
    });
    cleanups.push(() => pty.stop());
    const settings: TransportSettings = {
      kind: 'shell',
      baudRate: 115200,
      deviceDir: path.join(temp.dir, 'state'),
      timeoutMs: 8000,
    };
    return { dir: temp.dir, port: pty.a, settings };
  }

  async function open(port: string, settings: TransportSettings): Promise<ShellSession> {
    const session = await openShellSession({ path: port, settings });
    cleanups.push(() => session.close());
    return session;
  }

  function expectOnDevice(stateDir: string, pushed: DeviceFile[]) {
    for (const f of pushed) {
      const onDevice = path.join(stateDir, f.path);
      expect(fs.readFileSync(onDevice).equals(f.content), f.path).toBe(true);
      expect((fs.statSync(onDevice).mode & 0o777).toString(8), f.path).toBe(f.mode.toString(8));
    }
    expect(fs.readdirSync(path.join(stateDir, 'config')).filter((n) => n.endsWith('.lineside-part'))).toEqual(
      [],
    );
  }

  it('pushes files byte-identical with the right modes, verifies with sha256, syncs and runs post-commands', async () => {
    const u = await unit();
    const session = await open(u.port, {
      ...u.settings,
      postCommands: [`echo restarted > ${u.dir}/agent-restarted`],
    });
    expect(session.identity.transport).toBe('shell');
    expect(session.identity.description).toMatch(/Linux/);
    const pushed = files();
    const progress: number[] = [];
    const report = await session.writeFiles(pushed, { onProgress: (p) => progress.push(p.bytesDone) });
    const total = pushed.reduce((n, f) => n + f.content.length, 0);
    expect(report).toEqual({ bytes: total, retransmissions: 0 });
    expect(progress.at(-1)).toBe(total);
    expectOnDevice(u.settings.deviceDir, pushed);

    const verified = await session.verifyFiles(pushed);
    expect(verified.every((v) => v.ok && v.algorithm === 'sha256')).toBe(true);
    await session.commit();
    expect(fs.readFileSync(path.join(u.dir, 'agent-restarted'), 'utf8')).toBe('restarted\n');
  });

  it('a corrupted file on the unit fails the read-back, and a missing one reads as absent', async () => {
    const u = await unit();
    const session = await open(u.port, u.settings);
    const pushed = files();
    await session.writeFiles(pushed);
    // The write's own command read the stored files back; damage after that is caught by the next.
    expect((await session.verifyFiles(pushed)).every((v) => v.ok)).toBe(true);
    const onDevice = path.join(u.settings.deviceDir, 'config/device.json5');
    const bytes = fs.readFileSync(onDevice);
    bytes[10] = bytes[10]! ^ 0x01;
    fs.writeFileSync(onDevice, bytes);
    fs.rmSync(path.join(u.settings.deviceDir, 'certs/ioto.key'));
    const verified = await session.verifyFiles(pushed);
    expect(verified[0]).toMatchObject({ path: 'config/device.json5', ok: false });
    expect(verified[0]!.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(verified[0]!.actual).not.toBe(verified[0]!.expected);
    expect(verified[1]!.ok).toBe(true);
    expect(verified[2]).toMatchObject({ ok: false, actual: null });
  });

  it('logs in at a login prompt, and says so when the password is wrong', async () => {
    const u = await unit({
      command: (dir) => {
        fs.writeFileSync(path.join(dir, 'login.sh'), LOGIN_SCRIPT);
        return `/bin/sh ${dir}/login.sh`;
      },
    });
    const session = await open(u.port, { ...u.settings, login: { user: 'root', password: 'se cret' } });
    const pushed = files().slice(0, 1);
    await session.writeFiles(pushed);
    expect((await session.verifyFiles(pushed))[0]!.ok).toBe(true);
    expectOnDevice(u.settings.deviceDir, pushed);

    const wrong = await unit({
      command: (dir) => {
        fs.writeFileSync(path.join(dir, 'login.sh'), LOGIN_SCRIPT);
        return `/bin/sh ${dir}/login.sh`;
      },
    });
    await expect(
      openShellSession({
        path: wrong.port,
        settings: { ...wrong.settings, login: { user: 'root', password: 'nope' } },
      }),
    ).rejects.toMatchObject({
      code: 'device-refused',
    });
  });

  it('without gzip the set goes as plain base64, still one command with its read-back (md5sum listing)', async () => {
    const u = await unit({
      command: (dir) => {
        const bin = path.join(dir, 'bin');
        fs.mkdirSync(bin);
        for (const tool of [
          'mkdir',
          'chmod',
          'mv',
          'rm',
          'sync',
          'md5sum',
          'stty',
          'uname',
          'cat',
          'base64',
          'head',
          'tail',
        ])
          fs.symlinkSync(
            fs.existsSync(`/bin/${tool}`) ? `/bin/${tool}` : `/usr/bin/${tool}`,
            path.join(bin, tool),
          );
        fs.writeFileSync(path.join(dir, 'minimal.sh'), `PATH=${bin}\nexport PATH\nexec /bin/sh -i\n`);
        return `/bin/sh ${dir}/minimal.sh`;
      },
    });
    const session = await open(u.port, u.settings);
    const pushed = files();
    await session.writeFiles(pushed);
    expectOnDevice(u.settings.deviceDir, pushed);
    expect((await session.verifyFiles(pushed)).map((v) => [v.algorithm, v.ok])).toEqual([
      ['md5', true],
      ['md5', true],
      ['md5', true],
    ]);
    fs.appendFileSync(path.join(u.settings.deviceDir, 'certs/ioto.key'), 'x');
    expect((await session.verifyFiles(pushed)).map((v) => v.ok)).toEqual([true, true, false]);
  });

  it('falls back to printf without base64 and to md5sum without sha256sum', async () => {
    const u = await unit({
      command: (dir) => {
        const bin = path.join(dir, 'bin');
        fs.mkdirSync(bin);
        for (const tool of [
          'mkdir',
          'chmod',
          'mv',
          'sync',
          'md5sum',
          'stty',
          'uname',
          'cat',
          'sleep',
          'od',
          'wc',
        ])
          fs.symlinkSync(
            fs.existsSync(`/bin/${tool}`) ? `/bin/${tool}` : `/usr/bin/${tool}`,
            path.join(bin, tool),
          );
        fs.writeFileSync(path.join(dir, 'minimal.sh'), `PATH=${bin}\nexport PATH\nexec /bin/sh -i\n`);
        return `/bin/sh ${dir}/minimal.sh`;
      },
    });
    const session = await open(u.port, u.settings);
    const pushed = files();
    await session.writeFiles(pushed);
    expectOnDevice(u.settings.deviceDir, pushed);
    const verified = await session.verifyFiles(pushed);
    expect(verified.map((v) => [v.algorithm, v.ok])).toEqual([
      ['md5', true],
      ['md5', true],
      ['md5', true],
    ]);
    // Read back without base64 or dd: od hex in one go, checked with md5sum.
    expect(await session.readFile(pushed[2]!.path)).toEqual(pushed[2]!.content);
    fs.appendFileSync(path.join(u.settings.deviceDir, 'certs/ioto.key'), 'x');
    expect((await session.verifyFiles(pushed))[2]!.ok).toBe(false);
  });
  it('refuses a control character in a typed value before the console sees it (^U would erase the quoting)', async () => {
    const u = await unit();
    const pwned = path.join(u.dir, 'PWNED');
    const hostile = { ...u.settings, deviceDir: `${u.dir}/state\u0015touch ${pwned} #` };
    const session = await open(u.port, hostile);
    await expect(session.writeFiles(files().slice(0, 1))).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringMatching(/control character U\+0015/),
    });
    await expect(session.exec(`echo a\u0003b`, 'a test')).rejects.toMatchObject({ code: 'validation' });
    await session.close();
    const post = await open(u.port, { ...u.settings, postCommands: [`true\u0015touch ${pwned}`] });
    await expect(post.commit()).rejects.toMatchObject({ code: 'validation' });
    // The console still answers, and nothing the hostile values held ever ran.
    expect((await post.exec('echo alive', 'a test')).output).toBe('alive\n');
    expect(fs.existsSync(pwned)).toBe(false);
  });

  it('file contents travel encoded: control bytes in a template value are written, never acted on', async () => {
    const u = await unit();
    const pwned = path.join(u.dir, 'PWNED');
    const content = Buffer.from(
      `{ name: 'a\u0015touch ${pwned} #\u0003\u0004\u001a\u007f', serial: '\u0015x' }\n`,
    );
    const session = await open(u.port, u.settings);
    const pushed: DeviceFile[] = [{ path: 'config/device.json5', content, mode: 0o644 }];
    await session.writeFiles(pushed);
    expect((await session.verifyFiles(pushed))[0]!.ok).toBe(true);
    expectOnDevice(u.settings.deviceDir, pushed);
    expect(fs.existsSync(pwned)).toBe(false);
  });
});
