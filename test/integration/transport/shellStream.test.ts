/**
 * Issue 16: the shell transport streams a unit's files in one pass and reads them all back in one
 * command, over a real /bin/sh behind a line paced like a 115200-baud UART: one command line for
 * every file (no round trip per chunk), printable text only on the console, and still correct when
 * the console echoes everything back.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openShellSession } from '../../../electron/core/transport/shell';
import type { DeviceFile } from '../../../electron/core/transport/types';
import { startShellUnit } from '../../support/shellUnit';
import { makeTempDir } from '../../support/tempDir';

function unitFiles(): DeviceFile[] {
  const every = Buffer.alloc(256 * 4);
  for (let i = 0; i < every.length; i++) every[i] = i % 256;
  return [
    {
      path: 'config/device.json5',
      content: Buffer.from("{\n  id: 'M72DANY8BZ',\n  name: '$HOME `x` %s',\n}\n"),
      mode: 0o644,
    },
    { path: 'certs/ioto.crt', content: randomBytes(700), mode: 0o644 },
    { path: 'certs/ioto.key', content: Buffer.concat([every, randomBytes(3000)]), mode: 0o600 },
    {
      path: 'config/provision.json5',
      content: Buffer.from("{ id: 'M72DANY8BZ', token: 't' }\n"),
      mode: 0o600,
    },
  ];
}

describe('shell transport, streamed', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function unit(env?: Record<string, string>) {
    const sent: Buffer[] = [];
    const u = await startShellUnit({
      baud: 115200,
      onStationBytes: (c) => sent.push(Buffer.from(c)),
      ...(env ? { env } : {}),
    });
    cleanups.push(() => u.stop());
    const session = await openShellSession({
      path: u.path,
      settings: { kind: 'shell', baudRate: 115200, deviceDir: u.dir, timeoutMs: 15_000 },
    });
    cleanups.push(() => session.close());
    return { u, session, sent };
  }

  function expectOnUnit(dir: string, files: DeviceFile[]) {
    for (const f of files) {
      const p = path.join(dir, f.path);
      expect(fs.readFileSync(p).equals(f.content), f.path).toBe(true);
      expect((fs.statSync(p).mode & 0o777).toString(8), f.path).toBe(f.mode.toString(8));
    }
    for (const d of ['config', 'certs'])
      expect(fs.readdirSync(path.join(dir, d)).filter((n) => n.endsWith('.lineside-part'))).toEqual([]);
  }

  it('writes every file and reads them all back with one command, gzipped, printable text only', async () => {
    const { u, session, sent } = await unit();
    const files = unitFiles();
    sent.length = 0;
    await session.writeFiles(files);
    const written = Buffer.concat(sent).toString('latin1');
    expect(written.match(/echo __LS_B""\d+/g)).toHaveLength(1);
    // One here-document for the whole set, through the session's helper (which also reads back).
    expect(
      written.match(/__lsw z '[^']+' 644 \d+ 'config\/device.json5' 644 \d+ 'certs\/ioto.crt' 600/g),
    ).toHaveLength(1);
    expect(written.match(/<<'_\d+'/g)).toHaveLength(1);
    // The unit has gzip: the text files travel compressed (fewer characters than plain base64).
    const plainBase64 = files.reduce((n, f) => n + Math.ceil(f.content.length / 3) * 4, 0);
    expect(written.length).toBeLessThan(plainBase64);
    expectOnUnit(u.dir, files);

    sent.length = 0;
    const verified = await session.verifyFiles(files);
    expect(verified.map((v) => v.ok)).toEqual([true, true, true, true]);
    expect(verified[2]!.actual).toBe(createHash('sha256').update(files[2]!.content).digest('hex'));
    // Nothing more to ask: the write's read-back covered these very files.
    expect(sent).toEqual([]);

    // Only printable ASCII and carriage returns ever went to the console while writing.
    const bad = [...Buffer.from(written, 'latin1')].filter((b) => b !== 0x0d && (b < 0x20 || b > 0x7e));
    expect(bad).toEqual([]);

    // A file damaged on the unit after the write is caught by the one-command read-back.
    fs.writeFileSync(path.join(u.dir, 'certs/ioto.crt'), 'damaged');
    fs.rmSync(path.join(u.dir, 'config/provision.json5'));
    const again = await session.verifyFiles(files);
    expect(again.map((v) => [v.path, v.ok, v.actual === null])).toEqual([
      ['config/device.json5', true, false],
      ['certs/ioto.crt', false, false],
      ['certs/ioto.key', true, false],
      ['config/provision.json5', false, true],
    ]);
  }, 60_000);

  it('is echo-proof: a console that echoes every line (stty does nothing) still gets exact files', async () => {
    const bin = makeTempDir('lineside-fake-stty-');
    cleanups.push(bin.cleanup);
    fs.writeFileSync(path.join(bin.dir, 'stty'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const { u, session } = await unit({ PATH: `${bin.dir}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    const files = unitFiles();
    await session.writeFiles(files);
    expectOnUnit(u.dir, files);
    expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
  }, 60_000);
});
