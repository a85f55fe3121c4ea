/**
 * The simulated unit's side of the framed protocol (docs/serial-protocol.md): files under `dir`, a
 * key/value Store in a JSON file, duplicate requests answered from a cache. Written against the
 * document, as a firmware engineer would.
 */
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { FLAG_RESPONSE, encodeFrame, type Frame } from '../../../electron/core/transport/framed/frame';
import { opensslSubject } from '../../../electron/core/transport/csr';
import { decodeSet, setDigest } from '../../../electron/core/transport/framed/fileSet';
import {
  Cmd,
  CsrKeyType,
  Feature,
  SetEncoding,
  Status,
  payload,
  reader,
} from '../../../electron/core/transport/framed/protocol';

export interface DeviceOptions {
  dir: string;
  maxPayload: number;
  serial: string;
  model: string;
  /** The newest protocol version the unit speaks (1: an old unit, stop-and-wait only). */
  protocolVersion: number;
  /** The oldest version it still speaks (default 1; set it above 2 to show the mismatch behaviour). */
  oldestVersion?: number;
  /** Version 2: how many requests it accepts in flight (its receive buffer, in frames). */
  window?: number;
  /** Firmware without the CSR command (answers UNKNOWN_COMMAND). */
  withoutCsr?: boolean;
  /** Version 3 firmware without an inflater: it announces no DEFLATE feature, takes stored sets only. */
  withoutDeflate?: boolean;
}

/** What a faulty unit gets wrong: its CSR reply, or a damaged file on its storage at read-back. */
export type CsrFault = 'wrong-subject' | 'bad-signature';
export type DeviceFault = CsrFault | 'wrong-hash';

/** A claim ID that is not the one asked for (a unit that mixed up its identity). */
const otherId = (cn: string) => (cn === 'ZZZZZZZZZZ' ? 'YYYYYYYYYY' : 'ZZZZZZZZZZ');

/**
 * The unit's key generation: Node's crypto makes the pair (as an MCU's mbedTLS would), the key is
 * written 0600 under its final name only once complete, and `openssl req` signs the request with it.
 */
function makeCsr(
  keyFile: string,
  keyType: number,
  subject: { CN: string; O: string; OU: string },
  fault: CsrFault | undefined,
): Buffer | number {
  const key =
    keyType === CsrKeyType['ec-p256']
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      : keyType === CsrKeyType.rsa2048 || keyType === CsrKeyType.rsa3072
        ? generateKeyPairSync('rsa', { modulusLength: keyType === CsrKeyType.rsa2048 ? 2048 : 3072 })
            .privateKey
        : null;
  if (!key) return Status.KEY_TYPE;
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  const part = `${keyFile}.part`;
  fs.writeFileSync(part, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.chmodSync(part, 0o600);
  fs.renameSync(part, keyFile);
  const cn = fault === 'wrong-subject' ? otherId(subject.CN) : subject.CN;
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-new',
      '-key',
      keyFile,
      '-utf8',
      '-subj',
      opensslSubject({ claimId: cn, subject: { O: subject.O, OU: subject.OU } }),
      '-outform',
      'DER',
    ],
    { timeout: 30_000 },
  );
  if (run.status !== 0) return Status.IO_ERROR;
  const der = Buffer.from(run.stdout);
  if (fault === 'bad-signature') der[der.length - 1]! ^= 0x01; // the signature's last byte
  return der;
}

interface Upload {
  target: string;
  part: string;
  size: number;
  mode: number;
  received: number;
}

export function createDevice(options: DeviceOptions) {
  const { dir } = options;
  const storeFile = path.join(dir, 'db', 'store.json');
  let upload: Upload | null = null;
  let last: { seq: number; type: number; reply: Buffer } | null = null;
  // Version 2 (after a v2 HELLO): the next sequence number expected and the last `window` replies.
  let version = 1;
  const window = options.window ?? 8;
  let expected = 0;
  const cache = new Map<number, { type: number; reply: Buffer }>();
  // Version 3: the file set being received (its encoded bytes so far).
  let set: { encoding: number; total: number; parts: Buffer[]; received: number } | null = null;
  /** Bytes the last request made the unit read back from storage and hash (for its processing time). */
  let readBack = 0;

  /**
   * The last byte of the set is in: decode it, write every file to its part file, rename them all
   * into place only when all are written, then read each back from storage for the answer.
   */
  function finishSet(fault?: DeviceFault): Buffer {
    const done = set!;
    set = null;
    let entries;
    try {
      entries = decodeSet(done.encoding, Buffer.concat(done.parts));
    } catch {
      return payload({ u8: Status.BAD_REQUEST });
    }
    const targets = entries.map((e) => resolve(e.target));
    if (targets.some((t) => t === null)) return payload({ u8: Status.BAD_REQUEST });
    for (const dir of new Set(targets.map((t) => path.dirname(t!)))) fs.mkdirSync(dir, { recursive: true });
    entries.forEach((e, i) => fs.writeFileSync(`${targets[i]!}.part`, e.content, { mode: 0o600 }));
    entries.forEach((e, i) => {
      fs.chmodSync(`${targets[i]!}.part`, e.mode);
      fs.renameSync(`${targets[i]!}.part`, targets[i]!);
    });
    if (fault === 'wrong-hash') damage(targets[0]!);
    const stored = targets.map((t) => {
      try {
        return fs.readFileSync(t!);
      } catch {
        return null; // not found: skipped in the digest, which then differs
      }
    });
    readBack += stored.reduce((n, c) => n + (c?.length ?? 0), 0);
    return payload({ u8: Status.OK }, setDigest(stored));
  }

  function setBytes(data: Buffer, fault?: DeviceFault): Buffer {
    const current = set!;
    if (current.received + data.length > current.total) {
      set = null;
      return payload({ u8: Status.TOO_LARGE });
    }
    current.parts.push(Buffer.from(data));
    current.received += data.length;
    return current.received === current.total ? finishSet(fault) : payload({ u8: Status.OK });
  }

  /** The storage went bad under this file: the read-back must see it (fault `wrong-hash`). */
  function damage(target: string | null) {
    if (!target || !fs.existsSync(target)) return;
    const content = fs.readFileSync(target);
    if (content.length === 0) fs.writeFileSync(target, Buffer.from([0]));
    else {
      content[0]! ^= 0xff;
      fs.writeFileSync(target, content);
    }
  }

  function resolve(p: string): string | null {
    const rel = p.replace(/^\/+/, '');
    if (rel === '' || rel.split('/').includes('..')) return null;
    return path.join(dir, rel);
  }

  /** The last byte is in: apply the mode and rename into place, so no half file ever has the real name. */
  function finishIfComplete() {
    if (!upload || upload.received !== upload.size) return;
    fs.chmodSync(upload.part, upload.mode);
    fs.renameSync(upload.part, upload.target);
    upload = null;
  }

  function readStore(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  function handle(type: number, body: Buffer, fault?: DeviceFault): Buffer {
    const r = reader(body);
    const ok = (...rest: Parameters<typeof payload>) => payload({ u8: Status.OK }, ...rest);
    const fail = (status: number) => payload({ u8: status });
    switch (type) {
      case Cmd.HELLO: {
        // Speak the station's version if we can, else our newest below it; a v1 unit answers v1.
        const offered = r.u8();
        const speak = Math.min(offered, options.protocolVersion);
        if (speak < (options.oldestVersion ?? 1))
          return payload({ u8: Status.VERSION }, { u8: options.protocolVersion });
        upload = null;
        set = null;
        version = speak;
        const fields = [
          { u8: speak },
          { u16: options.maxPayload },
          { str8: options.model },
          { str8: options.serial },
          { str8: `sim-${options.protocolVersion}.0` },
        ] as const;
        const features = options.withoutDeflate ? 0 : Feature.DEFLATE;
        return speak >= 3
          ? ok(...fields, { u8: window }, { u8: features })
          : speak === 2
            ? ok(...fields, { u8: window })
            : ok(...fields);
      }
      case Cmd.PUT_BEGIN: {
        const size = r.u32();
        const mode = r.u16();
        const target = resolve(r.str8());
        if (!target) return fail(Status.BAD_REQUEST);
        const data = r.rest();
        if (data.length > size) return fail(Status.TOO_LARGE);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const part = `${target}.part`;
        fs.writeFileSync(part, data, { mode: 0o600 });
        upload = { target, part, size, mode, received: data.length };
        finishIfComplete();
        return ok();
      }
      case Cmd.PUT_DATA: {
        const offset = r.u32();
        const data = r.rest();
        if (!upload) return fail(Status.BAD_STATE);
        if (offset !== upload.received) return payload({ u8: Status.BAD_STATE }, { u32: upload.received });
        if (upload.received + data.length > upload.size) return fail(Status.TOO_LARGE);
        fs.appendFileSync(upload.part, data);
        upload.received += data.length;
        const received = upload.received;
        finishIfComplete();
        return ok({ u32: received });
      }
      case Cmd.SET_BEGIN: {
        if (version < 3) return fail(Status.UNKNOWN_COMMAND);
        const encoding = r.u8();
        const total = r.u32();
        if (encoding !== SetEncoding.STORED && !(encoding === SetEncoding.DEFLATE && !options.withoutDeflate))
          return fail(Status.BAD_REQUEST);
        set = { encoding, total, parts: [], received: 0 };
        return setBytes(r.rest(), fault);
      }
      case Cmd.SET_DATA: {
        if (version < 3) return fail(Status.UNKNOWN_COMMAND);
        const offset = r.u32();
        if (!set) return fail(Status.BAD_STATE);
        if (offset !== set.received) return payload({ u8: Status.BAD_STATE }, { u32: set.received });
        return setBytes(r.rest(), fault);
      }
      case Cmd.HASH: {
        const target = resolve(r.str8());
        if (!target) return fail(Status.BAD_REQUEST);
        if (fault === 'wrong-hash') damage(target);
        if (!fs.existsSync(target)) return fail(Status.NOT_FOUND);
        const content = fs.readFileSync(target);
        readBack += content.length;
        return ok({ u32: content.length }, createHash('sha256').update(content).digest());
      }
      case Cmd.VERIFY: {
        if (version < 2) return fail(Status.UNKNOWN_COMMAND);
        const count = r.u8();
        const targets = Array.from({ length: count }, () => resolve(r.str8()));
        if (targets.some((t) => t === null)) return fail(Status.BAD_REQUEST);
        if (fault === 'wrong-hash') damage(targets[0]!);
        const statuses: Array<{ u8: number }> = [];
        const combined = createHash('sha256');
        for (const target of targets) {
          const found = fs.existsSync(target!);
          statuses.push({ u8: found ? Status.OK : Status.NOT_FOUND });
          if (!found) continue;
          const content = fs.readFileSync(target!);
          readBack += content.length;
          combined.update(createHash('sha256').update(content).digest());
        }
        return ok({ u8: count }, ...statuses, combined.digest());
      }
      case Cmd.GET: {
        const offset = r.u32();
        const max = Math.min(r.u16(), options.maxPayload - 5);
        const target = resolve(r.str8());
        if (!target) return fail(Status.BAD_REQUEST);
        if (!fs.existsSync(target)) return fail(Status.NOT_FOUND);
        const content = fs.readFileSync(target);
        return ok({ u32: content.length }, content.subarray(offset, offset + max));
      }
      case Cmd.STORE_LIST: {
        const start = r.u16();
        const keys = Object.keys(readStore()).sort();
        const out: Buffer[] = [];
        let size = 4;
        for (const key of keys.slice(start)) {
          const b = payload({ str8: key });
          if (size + b.length > options.maxPayload || out.length === 255) break;
          out.push(b);
          size += b.length;
        }
        return ok({ u16: keys.length }, { u8: out.length }, ...out);
      }
      case Cmd.STORE_GET: {
        const store = readStore();
        const key = r.str8();
        return key in store ? ok(Buffer.from(store[key]!, 'utf8')) : fail(Status.NOT_FOUND);
      }
      case Cmd.STORE_SET: {
        const key = r.str8();
        const store = readStore();
        store[key] = r.rest().toString('utf8');
        fs.mkdirSync(path.dirname(storeFile), { recursive: true });
        fs.writeFileSync(storeFile, JSON.stringify(store, null, 2));
        return ok();
      }
      case Cmd.CSR: {
        if (options.withoutCsr) return fail(Status.UNKNOWN_COMMAND);
        const keyType = r.u8();
        const keyFile = resolve(r.str8());
        const CN = r.str8();
        const O = r.str8();
        const OU = r.str8();
        if (!keyFile || CN === '') return fail(Status.BAD_REQUEST);
        const made = makeCsr(keyFile, keyType, { CN, O, OU }, fault === 'wrong-hash' ? undefined : fault);
        return typeof made === 'number' ? fail(made) : ok(made);
      }
      case Cmd.COMMIT:
        return ok();
      case Cmd.REBOOT:
        upload = null;
        return ok();
      default:
        return fail(Status.UNKNOWN_COMMAND);
    }
  }

  return {
    /**
     * The encoded reply to a request. A duplicate gets the cached reply, not a second effect; in
     * version 2 a request ahead of the one expected (an earlier frame was lost) is not run: the unit
     * NAKs with the sequence number it expects, and the station goes back to it.
     */
    reply(
      frame: Frame,
      fault?: DeviceFault,
    ): { bytes: Buffer; duplicate: boolean; skipped?: true; readBack: number } {
      readBack = 0;
      const answered = this.answer(frame, fault);
      return { ...answered, readBack };
    },
    answer(frame: Frame, fault?: DeviceFault): { bytes: Buffer; duplicate: boolean; skipped?: true } {
      if (frame.type !== Cmd.HELLO) {
        if (version >= 2) {
          const cached = cache.get(frame.seq);
          if (cached && cached.type === frame.type) return { bytes: cached.reply, duplicate: true };
          if (frame.seq !== expected) return { bytes: this.nak(expected), duplicate: false, skipped: true };
        } else if (last && last.seq === frame.seq && last.type === frame.type)
          return { bytes: last.reply, duplicate: true };
      }
      let body: Buffer;
      try {
        body = handle(frame.type, frame.payload, fault);
      } catch (error) {
        body = payload({ u8: error instanceof RangeError ? Status.BAD_REQUEST : Status.IO_ERROR });
      }
      const bytes = encodeFrame({ type: frame.type, flags: FLAG_RESPONSE, seq: frame.seq, payload: body });
      last = { seq: frame.seq, type: frame.type, reply: bytes };
      if (frame.type === Cmd.HELLO) cache.clear();
      expected = (frame.seq + 1) & 0xffff;
      cache.set(frame.seq, { type: frame.type, reply: bytes });
      cache.delete((frame.seq - window) & 0xffff);
      return { bytes, duplicate: false };
    },
    /** The protocol version spoken since the last HELLO (1 before any). */
    version: () => version,
    /** Version 2 NAKs name the sequence number the unit expects next. */
    expected: () => expected,
    nak(seq: number): Buffer {
      return encodeFrame({ type: Cmd.NAK, flags: FLAG_RESPONSE, seq, payload: Buffer.alloc(0) });
    },
    /** Agent-like console lines printed at boot, before the station starts framing. */
    banner(): string {
      let id: string | null = null;
      try {
        const device = JSON5.parse(fs.readFileSync(path.join(dir, 'config', 'device.json5'), 'utf8')) as {
          id?: unknown;
        };
        if (typeof device.id === 'string' && device.id !== 'auto') id = device.id;
      } catch {
        // no device.json5 yet: a blank unit
      }
      return [
        `ioto: Starting Ioto Device Agent 3.0 (simulated ${options.model}, serial ${options.serial})`,
        `ioto: State directory ${dir}`,
        id ? `ioto: Device Claim ID: ${id}` : 'ioto: No device identity yet (config/device.json5 has no id)',
        `ioto: Waiting for a station (framed protocol v${options.protocolVersion})`,
        '',
      ].join('\r\n');
    },
    /** Whether this SET frame brings the set's last byte (the read-back happens in its reply). */
    completesSet(frame: Frame): boolean {
      if (frame.type === Cmd.SET_BEGIN && frame.payload.length >= 5)
        return frame.payload.length - 5 >= frame.payload.readUInt32LE(1);
      if (frame.type === Cmd.SET_DATA && set && frame.payload.length >= 4)
        return frame.payload.readUInt32LE(0) + frame.payload.length - 4 >= set.total;
      return false;
    },
    reset() {
      upload = null;
      set = null;
      last = null;
      version = 1;
      cache.clear();
    },
  };
}
