/**
 * The packaging hook's fuses. Electron's binary cannot be fetched here, so the hook runs on a
 * stand-in file carrying Electron's real fuse sentinel and wire (what @electron/fuses looks for),
 * and the wire is read back with @electron/fuses itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import type { AfterPackContext } from 'electron-builder';
import afterPack, { electronBinary, linesideFuses } from '../../../electron/packaging/afterPack';
import { makeTempDir } from '../../support/tempDir';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The bytes of a fuse's state in the wire ('0', '1'), as @electron/fuses' constants define them. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;

/** A binary as Electron ships it: every fuse at Electron's default (RunAsNode etc. on). */
function standInElectron(file: string): void {
  const defaults = [1, 0, 1, 1, 0, 0, 0, 1].map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.alloc(4096, 0x90),
      Buffer.from(SENTINEL),
      Buffer.from([1, defaults.length, ...defaults]),
      Buffer.alloc(512),
    ]),
  );
}

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('packaging: Electron fuses', () => {
  it('names every fuse: run-as-node, NODE_OPTIONS, --inspect off; cookies, ASAR integrity, ASAR-only on', () => {
    const f = linesideFuses({ resetAdHocDarwinSignature: false });
    expect(f.strictlyRequireAllFuses).toBe(true);
    expect(f[FuseV1Options.RunAsNode]).toBe(false);
    expect(f[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(f[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(f[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(f[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(f[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(f[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    const named = Object.keys(FuseV1Options).filter((k) => /^\d+$/.test(k));
    for (const index of named)
      expect(f[Number(index) as FuseV1Options], FuseV1Options[Number(index)]).toBeTypeOf('boolean');
  });

  it('the afterPack hook flips the packaged binary’s fuses (read back from the file)', async () => {
    const temp = makeTempDir('lineside-pack-');
    cleanups.push(temp.cleanup);
    const context = {
      appOutDir: temp.dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { appInfo: { productFilename: 'Lineside' }, executableName: 'lineside' },
    } as unknown as AfterPackContext;
    const binary = path.join(temp.dir, 'lineside');
    standInElectron(binary);
    expect((await getCurrentFuseWire(binary))[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
    await afterPack(context);
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('finds the binary electron-builder made on each platform', () => {
    const packager = { appInfo: { productFilename: 'Lineside' }, executableName: 'lineside' };
    expect(electronBinary({ appOutDir: '/out', electronPlatformName: 'linux', packager })).toBe(
      '/out/lineside',
    );
    expect(electronBinary({ appOutDir: '/out', electronPlatformName: 'win32', packager })).toBe(
      '/out/Lineside.exe',
    );
    expect(electronBinary({ appOutDir: '/out', electronPlatformName: 'darwin', packager })).toBe(
      '/out/Lineside.app',
    );
  });

  it('electron-builder.yml runs the hook, and the build bundles it', () => {
    const root = path.resolve(__dirname, '../../..');
    expect(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')).toMatch(
      /^afterPack: dist\/packaging\/afterPack\.cjs$/m,
    );
    expect(fs.readFileSync(path.join(root, 'scripts/build-electron.js'), 'utf8')).toContain(
      "entryPoints: ['electron/packaging/afterPack.ts']",
    );
  });
});
