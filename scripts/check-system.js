// The system packages the tests need. Installs the missing ones with apt when it can (root or
// passwordless sudo); otherwise stops at once with the exact command to run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The PostgreSQL server binary under Debian's versioned folder (/usr/lib/postgresql/<major>/bin):
 * whichever majors are installed now, plus the ones Debian and Ubuntu have shipped, so a check on
 * a machine without the folder still names real paths.
 */
export function postgresServerPaths(readdir = fs.readdirSync) {
  let found = [];
  try {
    found = readdir('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin/postgres`);
  } catch {
    // no PostgreSQL installed yet
  }
  const known = [13, 14, 15, 16, 17, 18, 19].map((v) => `/usr/lib/postgresql/${v}/bin/postgres`);
  return [...new Set([...found, ...known])];
}

/** Debian package -> a file it installs that proves it is there. */
export const REQUIRED = {
  chromium: ['/usr/bin/chromium'],
  socat: ['/usr/bin/socat'],
  udev: ['/usr/bin/udevadm', '/bin/udevadm', '/sbin/udevadm'],
  mosquitto: ['/usr/sbin/mosquitto'],
  'mosquitto-clients': ['/usr/bin/mosquitto_pub'],
  openssl: ['/usr/bin/openssl'],
  'poppler-utils': ['/usr/bin/pdftoppm'],
  xvfb: ['/usr/bin/xvfb-run'],
  cups: ['/usr/sbin/cupsd'],
  'cups-bsd': ['/usr/bin/lpr'],
  'cups-client': ['/usr/bin/lp'],
  'printer-driver-cups-pdf': ['/usr/lib/cups/backend/cups-pdf'],
  // The line-mode tests run a real PostgreSQL server (Debian's server binaries, not just psql).
  postgresql: postgresServerPaths(),
};

export function missingPackages(exists = fs.existsSync) {
  return Object.entries(REQUIRED)
    .filter(([, files]) => !files.some((f) => exists(f)))
    .map(([pkg]) => pkg);
}

function canRun(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** What to do about missing packages: nothing, install them, or stop with the exact command. */
export function planInstall({ missing, isRoot, hasSudo }) {
  if (missing.length === 0) return { action: 'none' };
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (isRoot) return { action: 'install', prefix: [], command };
  if (hasSudo) return { action: 'install', prefix: ['sudo', '-n'], command };
  return {
    action: 'stop',
    command,
    message: `The tests need these system packages: ${missing.join(', ')}.\nRun:\n  sudo sh -c '${command}'`,
  };
}

export function ensureSystemPackages() {
  const missing = missingPackages();
  const isRoot = process.getuid?.() === 0;
  const plan = planInstall({
    missing,
    isRoot,
    hasSudo: missing.length > 0 && !isRoot && canRun('sudo', ['-n', 'true']),
  });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') {
    console.error(plan.message);
    process.exit(1);
  }
  console.log(`Installing system packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', ...missing],
  ]) {
    const cmd = [...plan.prefix, ...args];
    const run = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
    if (run.status !== 0) {
      console.error(`Installing failed. Run by hand:\n  sudo sh -c '${plan.command}'`);
      process.exit(1);
    }
  }
  const still = missingPackages();
  if (still.length > 0) {
    console.error(`Still missing after apt-get: ${still.join(', ')}`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemPackages();
