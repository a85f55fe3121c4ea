import fs from 'node:fs';

/**
 * Whether a process holds `file` open, read from /proc/<pid>/fd: what `lsof` would say. The path
 * may be a symlink (socat's pty links); the real device node is compared.
 */
export function holdsOpen(file: string, pid: number | 'self' = 'self'): boolean {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch {
    return false;
  }
  const dir = `/proc/${pid}/fd`;
  for (const fd of fs.readdirSync(dir)) {
    try {
      if (fs.readlinkSync(`${dir}/${fd}`) === target) return true;
    } catch {
      // closed between readdir and readlink
    }
  }
  return false;
}

/** Polls `condition` until it holds or the deadline passes (a loaded machine is slow, not wrong). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
