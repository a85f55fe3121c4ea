import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../electron/core/paths';

describe('data directory', () => {
  const home = '/home/tech';
  it('prefers --data-dir, then LINESIDE_DATA_DIR', () => {
    expect(
      resolveDataDir({ flag: 'here', env: { LINESIDE_DATA_DIR: '/env' }, platform: 'linux', home }),
    ).toBe(path.resolve('here'));
    expect(resolveDataDir({ env: { LINESIDE_DATA_DIR: '/env' }, platform: 'linux', home })).toBe('/env');
  });

  it("falls back to the platform's per-user data directory (where Electron's userData is)", () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home })).toBe('/home/tech/.config/Lineside');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home })).toBe('/x/Lineside');
    expect(resolveDataDir({ env: {}, platform: 'darwin', home })).toBe(
      '/home/tech/Library/Application Support/Lineside',
    );
    expect(
      resolveDataDir({ env: { APPDATA: 'C:\\Users\\t\\AppData\\Roaming' }, platform: 'win32', home }),
    ).toContain('Lineside');
  });
});
