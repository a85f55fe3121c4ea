import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideLaunch, findElectronBinary, hasDisplay } from '../../../electron/cli/launch';
import { findCommand } from '../../../electron/cli/main';

const root = path.resolve(__dirname, '..', '..', '..');

describe('npm start: Electron or browser mode', () => {
  const base = {
    platform: 'linux' as const,
    env: { DISPLAY: ':0' },
    forceBrowser: false,
    missingReason: null,
  };

  it('opens the Electron window when the binary is there and there is a display', () => {
    expect(decideLaunch({ ...base, binary: '/x/electron' })).toEqual({
      mode: 'electron',
      binary: '/x/electron',
    });
  });

  it('falls back to browser mode with the reason when the binary is missing', () => {
    const d = decideLaunch({
      ...base,
      binary: null,
      missingReason: 'download failed: getaddrinfo ENOTFOUND github.com',
    });
    expect(d).toEqual({
      mode: 'browser',
      reason: "Electron's binary is not available (download failed: getaddrinfo ENOTFOUND github.com)",
      openBrowser: true,
    });
  });

  it('does not try to open a browser without a display', () => {
    const d = decideLaunch({ ...base, env: {}, binary: null, missingReason: 'x' });
    expect(d).toMatchObject({ mode: 'browser', openBrowser: false });
    expect(decideLaunch({ ...base, env: {}, binary: '/x/electron' })).toMatchObject({
      mode: 'browser',
      reason: 'no display to open a window on',
    });
  });

  it('honours npm run serve (browser mode on purpose)', () => {
    expect(decideLaunch({ ...base, binary: '/x/electron', forceBrowser: true })).toMatchObject({
      mode: 'browser',
    });
  });

  it('knows displays per platform', () => {
    expect(hasDisplay('win32', {})).toBe(true);
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('linux', {})).toBe(false);
  });

  it('sees that this checkout has no Electron binary (the download is denied by allowScripts)', () => {
    const found = findElectronBinary(root);
    if (found.binary) return; // a workstation that fetched it: nothing to check here
    expect(found.reason).toMatch(/Electron failed to install correctly|no binary/);
  });
});

describe('CLI command lookup', () => {
  it('picks the longest matching command', () => {
    expect(findCommand(['units', 'list', 'x'])?.command.name).toBe('units list');
    expect(findCommand(['units', 'get', 'ABC'])?.rest).toEqual(['ABC']);
    expect(findCommand(['nope'])).toBeNull();
  });
});
