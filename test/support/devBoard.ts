/**
 * A simulated dev board on the device side of a pty pair: prints the Ioto agent's start-up console
 * lines, the claim ID among them, paced like a real boot. Stops when asked or when the lines run out.
 */
import fs from 'node:fs';

export function agentConsoleLines(claimId: string): string[] {
  return [
    '\x1b[32mioto: \x1b[0mInfo: Starting Ioto 3.0.2, with "dev" profile',
    'ioto: Info: Using config directory "state/config"',
    'ioto: Info: Device model "P-100", product "01H4R15D3478JD26YDYK408XE6"',
    `ioto: Info: Device Claim ID: ${claimId}`,
    'ioto: Info: Device is not yet claimed: claim it in the device app with the ID above',
    'ioto: Info: Listening on http://:80',
  ];
}

export function startDevBoard(options: {
  path: string;
  lines: string[];
  intervalMs?: number;
  repeat?: boolean;
}): {
  stop(): void;
  done: Promise<void>;
} {
  const fd = fs.openSync(options.path, 'w');
  let i = 0;
  let stopped = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const timer = setInterval(() => {
    if (stopped) return;
    if (i >= options.lines.length) {
      if (options.repeat) i = 0;
      else return stop();
    }
    fs.writeSync(fd, `${options.lines[i++]}\r\n`);
  }, options.intervalMs ?? 50);
  function stop() {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    fs.closeSync(fd);
    resolveDone();
  }
  return { stop, done };
}
