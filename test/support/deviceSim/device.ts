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
import {
  Cmd,
  CsrKeyType,
  PROTOCOL_VERSION,
  Status,
  payload,
  reader,
} from '../../../electron/core/transport/framed/protocol';

export interface DeviceOptions {
  dir: string;
  maxPayload: number;
  serial: string;
  model: string;
  /** Pretend to speak another protocol version (to show the mismatch behaviour). */
  protocolVersion: number;
  /** Firmware without the CSR command (answers UNKNOWN_COMMAND). */
  withoutCsr?: boolean;
}

/** What a faulty unit gets wrong in its CSR reply. */
export type CsrFault = 'wrong-subject' | 'bad-signature';

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

  function handle(type: number, body: Buffer, csrFault?: CsrFault): Buffer {
    const r = reader(body);
    const ok = (...rest: Parameters<typeof payload>) => payload({ u8: Status.OK }, ...rest);
    const fail = (status: number) => payload({ u8: status });
    switch (type) {
      case Cmd.HELLO: {
        r.u8(); // the station's version; a v1 device answers with its own either way
        if (options.protocolVersion !== PROTOCOL_VERSION)
          return payload({ u8: Status.VERSION }, { u8: options.protocolVersion });
        upload = null;
        return ok(
          { u8: PROTOCOL_VERSION },
          { u16: options.maxPayload },
          { str8: options.model },
          { str8: options.serial },
          { str8: 'sim-1.0' },
        );
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
      case Cmd.HASH: {
        const target = resolve(r.str8());
        if (!target) return fail(Status.BAD_REQUEST);
        if (!fs.existsSync(target)) return fail(Status.NOT_FOUND);
        const content = fs.readFileSync(target);
        return ok({ u32: content.length }, createHash('sha256').update(content).digest());
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
        const made = makeCsr(keyFile, keyType, { CN, O, OU }, csrFault);
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
    /** The encoded reply to a request (a duplicate gets the cached reply, not a second effect). */
    reply(frame: Frame, csrFault?: CsrFault): { bytes: Buffer; duplicate: boolean } {
      if (last && last.seq === frame.seq && last.type === frame.type && frame.type !== Cmd.HELLO)
        return { bytes: last.reply, duplicate: true };
      let body: Buffer;
      try {
        body = handle(frame.type, frame.payload, csrFault);
      } catch (error) {
        body = payload({ u8: error instanceof RangeError ? Status.BAD_REQUEST : Status.IO_ERROR });
      }
      const bytes = encodeFrame({ type: frame.type, flags: FLAG_RESPONSE, seq: frame.seq, payload: body });
      last = { seq: frame.seq, type: frame.type, reply: bytes };
      return { bytes, duplicate: false };
    },
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
    reset() {
      upload = null;
      last = null;
    },
  };
}
