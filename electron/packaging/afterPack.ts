/**
 * electron-builder's afterPack hook (electron-builder.yml `afterPack`): sets the packaged Electron
 * binary's fuses with @electron/fuses before the app is signed and wrapped. A fuse is compiled into
 * the binary, so a switch an attacker could use at run time (ELECTRON_RUN_AS_NODE, NODE_OPTIONS,
 * --inspect, an app loaded from outside the signed archive) is gone, whatever the environment says.
 * Bundled to dist/packaging/afterPack.cjs by scripts/build-electron.js; imported by nothing else.
 */
import path from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';

/** Every fuse named, so a new Electron's new fuse fails the build until it is decided. */
export function linesideFuses(options: { resetAdHocDarwinSignature: boolean }): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature: options.resetAdHocDarwinSignature,
    // The binary is never a plain Node: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // Cookies and local storage encrypted with the OS keychain key, like safeStorage.
    [FuseV1Options.EnableCookieEncryption]: true,
    // The app runs only from its app.asar, and only if the archive matches its recorded hash.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // Neither needed: the default V8 snapshot, and file: gets no privileges (the app uses app://).
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Where electron-builder put the Electron binary for this platform. */
export function electronBinary(
  context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName'> & {
    packager: { appInfo: { productFilename: string }; executableName?: string };
  },
): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName ?? name);
  }
}

/** arm64 macOS refuses a binary whose ad-hoc signature no longer matches: re-sign after flipping. */
const ARM64 = 3; // electron-builder's Arch.arm64

export default async function afterPack(context: AfterPackContext): Promise<void> {
  const binary = electronBinary(context as Parameters<typeof electronBinary>[0]);
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(
    binary,
    linesideFuses({ resetAdHocDarwinSignature: darwin && Number(context.arch) === ARM64 }),
  );
}
