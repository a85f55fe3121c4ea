import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS build script without types
import * as checkSystem from '../../../scripts/check-system.js';

const { missingPackages, planInstall, postgresServerPaths, REQUIRED } = checkSystem as {
  missingPackages: (exists?: (f: string) => boolean) => string[];
  planInstall: (o: { missing: string[]; isRoot: boolean; hasSudo: boolean }) => {
    action: string;
    prefix?: string[];
    command?: string;
    message?: string;
  };
  postgresServerPaths: (readdir?: (dir: string) => string[]) => string[];
  REQUIRED: Record<string, string[]>;
};

describe('npm test checks the system packages it needs', () => {
  it('names each missing Debian package by what it installs', () => {
    const present = new Set(['/usr/bin/chromium', '/usr/bin/socat']);
    const missing = missingPackages((f: string) => present.has(f)) as string[];
    expect(missing).toContain('mosquitto');
    expect(missing).toContain('udev');
    expect(missing).not.toContain('chromium');
    expect(missing).not.toContain('socat');
    expect(Object.keys(REQUIRED)).toEqual(
      expect.arrayContaining(['chromium', 'socat', 'udev', 'mosquitto', 'xvfb', 'postgresql']),
    );
  });

  it('finds the PostgreSQL server under any Debian major version, installed or not', () => {
    const paths = postgresServerPaths(() => ['21']) as string[];
    expect(paths).toContain('/usr/lib/postgresql/21/bin/postgres');
    expect(paths).toContain('/usr/lib/postgresql/15/bin/postgres');
    const none = postgresServerPaths(() => {
      throw new Error('ENOENT');
    }) as string[];
    expect(none).toContain('/usr/lib/postgresql/17/bin/postgres');
    const present = new Set(['/usr/lib/postgresql/16/bin/postgres']);
    expect(missingPackages((f: string) => present.has(f))).not.toContain('postgresql');
    expect(missingPackages(() => false)).toContain('postgresql');
  });

  it('installs as root, through passwordless sudo, or stops with the exact command', () => {
    expect(planInstall({ missing: [], isRoot: false, hasSudo: false })).toEqual({ action: 'none' });
    expect(planInstall({ missing: ['socat'], isRoot: true, hasSudo: false })).toMatchObject({
      action: 'install',
      prefix: [],
    });
    expect(planInstall({ missing: ['socat'], isRoot: false, hasSudo: true })).toMatchObject({
      action: 'install',
      prefix: ['sudo', '-n'],
    });
    const stop = planInstall({ missing: ['socat', 'udev'], isRoot: false, hasSudo: false });
    expect(stop.action).toBe('stop');
    expect(stop.message).toContain("sudo sh -c 'apt-get update && apt-get install -y socat udev'");
  });
});
