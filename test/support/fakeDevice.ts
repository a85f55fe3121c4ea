/**
 * A fake in-process device for the station run: implements DeviceSession, keeps each port's files
 * in a directory (so another process can look at them), paces its work like a wire, and fails at
 * any step on request. Faults come from the options or from `<port dir>/faults.json`, read at every
 * step, so a test in another process (or a Playwright spec) can break a unit mid-run.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { UnitSummary } from '../../electron/shared/contract';
import { Failure } from '../../electron/core/failure';
import { DEVICE_JSON5_PATH, parseHeldIdentity } from '../../electron/core/transport/heldIdentity';
import type {
  DeviceFile,
  DeviceSession,
  OpenDeviceSession,
  TransferOptions,
  VerifyResult,
} from '../../electron/core/transport/types';

export type FakeStep = 'connect' | 'write' | 'verify' | 'commit';
/** timeout: no answer; disconnect: the unit goes away; mismatch: a wrong read-back hash for the last file; stall: waits until cancelled. */
export type FakeFault = 'timeout' | 'refused' | 'disconnect' | 'mismatch' | 'stall';
export type FakeFaults = Partial<Record<FakeStep, FakeFault>>;

export interface FakeDeviceOptions {
  /** Root: each port gets `<dir>/<port name>/` with `fs/` (its files) and `log.jsonl`. */
  dir: string;
  /** Simulated wire: bytes per second written and read back (default: instant). */
  bytesPerSecond?: number;
  /** A fixed time per step (handshake, sync), in ms. */
  stepMs?: number;
  faults?: FakeFaults;
  /** The serial number the device reports (default none). */
  serialFor?: (port: string) => string | undefined;
}

export interface FakeLogEntry {
  op: 'connect' | 'read-identity' | 'write' | 'verify' | 'commit' | 'close';
  path?: string;
  sha256?: string;
}

const CHUNK = 1024;

export function portDir(root: string, port: string): string {
  return path.join(root, port.replace(/[^A-Za-z0-9._-]+/g, '_'));
}

/** What a user would check: the file as it is on the fake device. */
export function deviceFile(root: string, port: string, file: string): Buffer {
  return fs.readFileSync(path.join(portDir(root, port), 'fs', file));
}

export function deviceLog(root: string, port: string): FakeLogEntry[] {
  const file = path.join(portDir(root, port), 'log.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FakeLogEntry);
}

/** Sets (or clears, with `{}`) the faults of one port's device, from any process. */
export function setDeviceFaults(root: string, port: string, faults: FakeFaults): void {
  const dir = portDir(root, port);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'faults.json'), JSON.stringify(faults));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Failure('cancelled', 'Cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Failure('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createFakeDevice(options: FakeDeviceOptions): { openSession: OpenDeviceSession } {
  const openSession: OpenDeviceSession = async ({ path: port, settings, signal, onConsole }) => {
    const dir = portDir(options.dir, port);
    const root = path.join(dir, 'fs');
    fs.mkdirSync(root, { recursive: true });
    const timeoutMs = settings.timeoutMs ?? 5000;
    const log = (entry: FakeLogEntry) =>
      fs.appendFileSync(path.join(dir, 'log.jsonl'), JSON.stringify(entry) + '\n');
    let open = true;

    function faultsNow(): FakeFaults {
      const file = path.join(dir, 'faults.json');
      const fromFile = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as FakeFaults) : {};
      return { ...options.faults, ...fromFile };
    }
    async function step(name: FakeStep, sig: AbortSignal | undefined): Promise<FakeFault | undefined> {
      if (!open) throw new Failure('device-disconnected', `The session on ${port} is closed.`);
      const fault = faultsNow()[name];
      if (options.stepMs) await sleep(options.stepMs, sig);
      if (fault === 'timeout') {
        await sleep(Math.min(timeoutMs, 2000), sig);
        throw new Failure(
          'device-timeout',
          `No answer from the device on ${port} within ${timeoutMs} ms (${name}).`,
        );
      }
      if (fault === 'refused')
        throw new Failure('port-unavailable', `Port ${port} is busy: another program holds it.`);
      if (fault === 'stall') {
        await sleep(24 * 3600 * 1000, sig);
      }
      return fault;
    }
    async function wire(bytes: number, sig: AbortSignal | undefined) {
      if (options.bytesPerSecond) await sleep((bytes / options.bytesPerSecond) * 1000, sig);
    }

    onConsole?.(`\r\nfake-ioto login on ${port}\r\n`);
    await step('connect', signal);
    onConsole?.(`fake-ioto ready (${settings.kind}, ${settings.baudRate} baud)\r\n`);
    log({ op: 'connect' });
    const session: DeviceSession = {
      identity: {
        transport: settings.kind,
        description: `fake device on ${port}`,
        ...(options.serialFor?.(port) ? { serial: options.serialFor(port)! } : {}),
      },
      readIdentity() {
        if (!open) throw new Failure('device-disconnected', `The session on ${port} is closed.`);
        const file = path.join(root, DEVICE_JSON5_PATH);
        log({ op: 'read-identity' });
        return Promise.resolve(parseHeldIdentity(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null));
      },
      async writeFiles(files: readonly DeviceFile[], opts: TransferOptions = {}) {
        const fault = await step('write', opts.signal);
        const total = files.reduce((n, f) => n + f.content.length, 0);
        let done = 0;
        for (const [i, f] of files.entries()) {
          const target = path.join(root, f.path);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          const fd = fs.openSync(target, 'w', f.mode);
          try {
            for (let at = 0; at < f.content.length; at += CHUNK) {
              const chunk = f.content.subarray(at, at + CHUNK);
              if (fault === 'disconnect' && done + chunk.length > total / 2) {
                open = false;
                throw new Failure('device-disconnected', `The device on ${port} disconnected mid-transfer.`);
              }
              await wire(chunk.length, opts.signal);
              fs.writeSync(fd, chunk);
              done += chunk.length;
              opts.onProgress?.({
                phase: 'write',
                path: f.path,
                fileIndex: i,
                fileCount: files.length,
                bytesDone: done,
                bytesTotal: total,
              });
            }
          } finally {
            fs.closeSync(fd);
          }
          fs.chmodSync(target, f.mode);
          log({ op: 'write', path: f.path, sha256: sha256(f.content) });
        }
        return { bytes: total, retransmissions: 0 };
      },
      async verifyFiles(files: readonly DeviceFile[], opts: TransferOptions = {}) {
        const fault = await step('verify', opts.signal);
        if (fault === 'disconnect') {
          open = false;
          throw new Failure('device-disconnected', `The device on ${port} disconnected during read-back.`);
        }
        const results: VerifyResult[] = [];
        const total = files.reduce((n, f) => n + f.content.length, 0);
        let done = 0;
        for (const [i, f] of files.entries()) {
          const target = path.join(root, f.path);
          const actual = fs.existsSync(target) ? sha256(fs.readFileSync(target)) : null;
          await wire(64, opts.signal);
          // `mismatch` corrupts one file, the last: "one bad file among good ones" is what a unit does.
          const corrupt = fault === 'mismatch' && actual && i === files.length - 1;
          const reported = corrupt ? sha256(Buffer.from(actual)) : actual;
          const expected = sha256(f.content);
          results.push({
            path: f.path,
            algorithm: 'sha256',
            expected,
            actual: reported,
            ok: reported === expected,
          });
          done += f.content.length;
          opts.onProgress?.({
            phase: 'verify',
            path: f.path,
            fileIndex: i,
            fileCount: files.length,
            bytesDone: done,
            bytesTotal: total,
          });
          log({ op: 'verify', path: f.path, sha256: reported ?? undefined });
        }
        return results;
      },
      async commit(opts: TransferOptions = {}) {
        const fault = await step('commit', opts.signal);
        if (fault === 'disconnect') {
          open = false;
          throw new Failure(
            'device-disconnected',
            `The device on ${port} disconnected before it saved its files.`,
          );
        }
        log({ op: 'commit' });
      },
      close() {
        open = false;
        log({ op: 'close' });
        return Promise.resolve();
      },
    };
    return session;
  };
  return { openSession };
}

/**
 * The files the station writes in tests: device.json5 (as the profile renderer will make it) and a
 * secret key file (mode 0600) derived from the claim ID, so rendering twice gives the same bytes.
 */
export function renderTestFiles(unit: UnitSummary): DeviceFile[] {
  const device = [
    '{',
    `  product: '01H4R15D3478JD26YDYK408XE6',`,
    `  id: '${unit.claimId}',`,
    `  name: 'Test unit',`,
    `  serial: '${unit.serial ?? ''}',`,
    `  created: '2026-11-21T10:00:00.000Z',`,
    '}',
    '',
  ].join('\n');
  const key = `-----BEGIN TEST KEY-----\n${sha256(Buffer.from('key:' + unit.claimId))}\n-----END TEST KEY-----\n`;
  return [
    { path: 'config/device.json5', content: Buffer.from(device), mode: 0o644 },
    { path: 'certs/ioto.key', content: Buffer.from(key), mode: 0o600 },
  ];
}
