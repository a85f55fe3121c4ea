import { describe, expect, it } from 'vitest';
import { injectToken, resolveStatic } from '../../../electron/bridge/static';

describe('bridge static files', () => {
  it('never resolves outside the renderer directory', () => {
    expect(resolveStatic('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
    expect(resolveStatic('/srv/r', '/../../etc/passwd')).toBe('/srv/r/etc/passwd');
    expect(resolveStatic('/srv/r', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/r/etc/passwd');
    expect(resolveStatic('/srv/r', '/a%00b')).toBeNull();
    expect(resolveStatic('/srv/r', '/%E0%A4%A')).toBeNull();
  });

  it('writes the token into the page head', () => {
    expect(injectToken('<html><head><title>x</title></head></html>', 'T0K')).toContain(
      '<meta name="lineside-token" content="T0K" />',
    );
  });
});
