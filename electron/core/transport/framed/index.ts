import { Failure } from '../../failure';
import { createSerialLink } from '../../serial/link';
import { createHash } from 'node:crypto';
import { verifyEach } from '../verify';
import type {
  DeviceFile,
  DeviceSession,
  OpenSessionOptions,
  TransferOptions,
  VerifyResult,
  WriteReport,
} from '../types';
import {
  createFramedClient,
  expectOk,
  type FramedClient,
  type LinkStats,
  type PipelinedRequest,
  type Reply,
} from './client';
import {
  CSR_REPLY_TIMEOUT_MS,
  Cmd,
  CsrKeyType,
  HOST_MAX_PAYLOAD,
  OLDEST_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  STATION_FEATURES,
  STATION_WINDOW,
  Feature,
  Status,
  payload,
  reader,
} from './protocol';
import { pemFromDer } from '../csr';
import { encodeSet } from './fileSet';
import { DEVICE_JSON5_PATH, parseHeldIdentity } from '../heldIdentity';

/** What the framed transport adds to a DeviceSession: the offline manager's reads and the Store. */
export interface FramedSession extends DeviceSession {
  readonly stats: LinkStats;
  requestCsr: NonNullable<DeviceSession['requestCsr']>;
  readFile(path: string, options?: TransferOptions): Promise<Buffer>;
  storeList(): Promise<string[]>;
  storeGet(key: string): Promise<string | null>;
  storeSet(key: string, value: string): Promise<void>;
  reboot(): Promise<void>;
}

function devicePath(deviceDir: string, path: string): string {
  const rel = path.replace(/^\/+/, '');
  if (rel.split('/').includes('..'))
    throw new Failure('validation', `A device file path may not contain "..": ${path}`);
  const dir = deviceDir.replace(/\/+$/, '');
  return dir === '' || dir === '.' ? rel : `${dir}/${rel}`;
}

/**
 * HELLO offers the newest version this station speaks (v2: with its window; v3: and its features).
 * A v3 unit answers v3 with its window and the features it accepts; a v2 unit answers v2 with its
 * window (PUT per file, one VERIFY); a v1 unit answers v1 (or status VERSION with 1), and then the
 * session speaks v1: one request at a time, HASH per file.
 */
async function hello(client: FramedClient, options: OpenSessionOptions) {
  const deadline = Date.now() + (options.settings.timeoutMs ?? 10_000);
  let offer: number = PROTOCOL_VERSION;
  for (;;) {
    try {
      // Few tries per round: a unit still booting prints its console first.
      const reply = await client.request(
        Cmd.HELLO,
        offer >= 3
          ? payload(
              { u8: offer },
              { u16: HOST_MAX_PAYLOAD },
              { u8: STATION_WINDOW },
              { u8: STATION_FEATURES },
            )
          : offer === 2
            ? payload({ u8: offer }, { u16: HOST_MAX_PAYLOAD }, { u8: STATION_WINDOW })
            : payload({ u8: offer }, { u16: HOST_MAX_PAYLOAD }),
        {
          signal: options.signal,
          attempts: 2,
          what: 'saying hello',
        },
      );
      const r = reader(reply.body);
      const version = r.u8();
      const speaks = version >= OLDEST_PROTOCOL_VERSION && version <= offer;
      if (reply.status === Status.VERSION && speaks && version !== offer) {
        offer = version; // an old unit that refuses our newest version: say hello in its own
        continue;
      }
      if (reply.status === Status.VERSION || !speaks)
        throw new Failure(
          'protocol',
          `The unit speaks framed protocol v${version}; this Lineside speaks v${OLDEST_PROTOCOL_VERSION} to v${PROTOCOL_VERSION}. Update the unit's firmware or Lineside.`,
        );
      expectOk(reply, 'HELLO');
      const maxPayload = r.u16();
      const model = r.str8();
      const serial = r.str8();
      const firmware = r.str8();
      const window = version >= 2 ? Math.max(1, Math.min(STATION_WINDOW, r.u8())) : 1;
      const features = version >= 3 ? r.u8() & STATION_FEATURES : 0;
      return { version, maxPayload, model, serial, firmware, window, features };
    } catch (error) {
      if (!(error instanceof Failure) || error.code !== 'device-timeout' || Date.now() > deadline)
        throw error;
    }
  }
}

export async function openFramedSession(options: OpenSessionOptions): Promise<FramedSession> {
  const { settings } = options;
  const link = await createSerialLink({ path: options.path, baudRate: settings.baudRate });
  const client = createFramedClient({ link, onConsole: options.onConsole });
  let info: Awaited<ReturnType<typeof hello>>;
  try {
    info = await hello(client, options);
  } catch (error) {
    client.dispose();
    await link.close();
    throw error;
  }
  client.window = info.window;
  // PUT_DATA carries a u32 offset before the data.
  const chunkSize = Math.min(info.maxPayload, HOST_MAX_PAYLOAD) - 4;

  /** v1 read-back: one HASH exchange per file. */
  function hashEach(files: readonly DeviceFile[], opts: TransferOptions) {
    return verifyEach(files, opts, 'sha256', async (file) => {
      const reply = await client.request(
        Cmd.HASH,
        payload({ str8: devicePath(settings.deviceDir, file.path) }),
        {
          signal: opts.signal,
          what: `reading back ${file.path}`,
        },
      );
      if (reply.status === Status.NOT_FOUND) return null;
      const r = reader(expectOk(reply, `reading back ${file.path}`));
      r.u32(); // size
      return r.bytes(32).toString('hex');
    });
  }

  /**
   * v2 read-back: one VERIFY exchange for every file. The unit answers each file's status and one
   * SHA-256 over the files' own SHA-256 digests; when that differs from ours, HASH per file says
   * which file is wrong (a mismatch costs a few more exchanges, a good unit never does).
   */
  const verifyRequest = (files: readonly DeviceFile[]): PipelinedRequest => ({
    type: Cmd.VERIFY,
    payload: payload(
      { u8: files.length },
      ...files.map((f) => ({ str8: devicePath(settings.deviceDir, f.path) })),
    ),
    what: 'reading back the files',
  });
  /** Which files (paths and contents) a VERIFY reply is about. */
  const fileSetKey = (files: readonly DeviceFile[]) =>
    files.map((f) => `${f.path}:${createHash('sha256').update(f.content).digest('hex')}`).join('|');
  /**
   * The VERIFY that writeFiles sent in the same window as the writes (the unit ran it after the
   * last PUT): valid for these very files only while nothing else has been sent to the unit.
   */
  let early: { key: string; answer: () => ReadBack; framesSent: number } | null = null;

  /** What a read-back said: one digest over the set, and whether every file was found. */
  interface ReadBack {
    allFound: boolean;
    digest: Buffer;
  }

  /** A v2 VERIFY reply: count, a status per file, one digest over the files found. */
  function verifyAnswer(reply: Reply, files: readonly DeviceFile[]): ReadBack {
    const r = reader(expectOk(reply, 'reading back the files'));
    const count = r.u8();
    if (count !== files.length)
      throw new Failure(
        'protocol',
        'The unit answered the read-back for the wrong number of files. Its firmware does not follow the protocol.',
      );
    const allFound = files.map(() => r.u8() === Status.OK).every(Boolean);
    return { allFound, digest: Buffer.from(r.bytes(32)) };
  }

  async function verifyAll(files: readonly DeviceFile[], opts: TransferOptions): Promise<VerifyResult[]> {
    const sent = early;
    early = null;
    const answer =
      sent && sent.key === fileSetKey(files) && sent.framesSent === client.stats.framesSent
        ? sent.answer()
        : verifyAnswer(
            (
              await client.pipeline([verifyRequest(files)], {
                ...(opts.signal ? { signal: opts.signal } : {}),
              })
            )[0]!,
            files,
          );
    const digests = files.map((f) => createHash('sha256').update(f.content).digest());
    const combined = createHash('sha256');
    digests.forEach((d) => combined.update(d));
    if (answer.allFound && combined.digest().equals(answer.digest)) {
      const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
      opts.onProgress?.({
        phase: 'verify',
        path: files.at(-1)?.path ?? '',
        fileIndex: files.length - 1,
        fileCount: files.length,
        bytesDone: bytesTotal,
        bytesTotal,
      });
      return files.map((f, i) => {
        const hex = digests[i]!.toString('hex');
        return { path: f.path, algorithm: 'sha256', expected: hex, actual: hex, ok: true };
      });
    }
    return hashEach(files, opts);
  }

  /**
   * v3: the whole set as one stream (manifest + bytes, deflated when the unit can inflate and it is
   * smaller) in SET_BEGIN/SET_DATA frames through the window. The unit acknowledges each frame with
   * its status alone; the reply to the frame that completes the set carries one SHA-256 over the
   * digests of the files as stored (read back after they were renamed into place), which
   * verifyFiles compares: no extra exchange for a good unit, HASH per file only on a mismatch.
   */
  async function writeSet(files: readonly DeviceFile[], opts: TransferOptions): Promise<WriteReport> {
    const before = client.stats.retransmissions;
    const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
    const { encoding, wire } = encodeSet(
      files.map((f) => ({
        target: devicePath(settings.deviceDir, f.path),
        mode: f.mode,
        content: f.content,
      })),
      (info.features & Feature.DEFLATE) !== 0,
    );
    const what = `writing ${files.map((f) => f.path).join(', ')}`;
    const head = payload({ u8: encoding }, { u32: wire.length });
    const first = wire.subarray(0, Math.max(0, chunkSize + 4 - head.length));
    const requests: PipelinedRequest[] = [
      { type: Cmd.SET_BEGIN, payload: Buffer.concat([head, first]), what },
    ];
    const ends = [first.length];
    for (let at = first.length; at < wire.length; at += chunkSize) {
      const chunk = wire.subarray(at, at + chunkSize);
      requests.push({ type: Cmd.SET_DATA, payload: payload({ u32: at }, chunk), what });
      ends.push(at + chunk.length);
    }
    early = null;
    // Progress in file bytes: the share of the wire stream acknowledged so far.
    const fileAt = (done: number) => {
      let n = 0;
      for (const [i, f] of files.entries()) if ((n += f.content.length) >= done) return i;
      return files.length - 1;
    };
    const replies = await client.pipeline(requests, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onReply(index, reply) {
        // A unit that restarted forgot the set (BAD_STATE) and, before a new HELLO, speaks v1
        // (UNKNOWN_COMMAND).
        if (reply.status === Status.BAD_STATE || reply.status === Status.UNKNOWN_COMMAND)
          throw new Failure(
            'device-refused',
            `The unit lost the file set in the middle of ${what} (it restarted, or another station talked to it). Nothing was marked verified: retry the unit.`,
            {
              detail: `${options.path}: ${index === 0 ? 'SET_BEGIN' : 'SET_DATA'} answered ${reply.status === Status.BAD_STATE ? 'BAD_STATE' : 'UNKNOWN_COMMAND'}`,
            },
          );
        expectOk(reply, what);
        const bytesDone = Math.round((ends[index]! / Math.max(1, wire.length)) * bytesTotal);
        opts.onProgress?.({
          phase: 'write',
          path: files[fileAt(bytesDone)]!.path,
          fileIndex: fileAt(bytesDone),
          fileCount: files.length,
          bytesDone,
          bytesTotal,
        });
      },
    });
    const last = replies.at(-1)!;
    early = {
      key: fileSetKey(files),
      answer: () => {
        const r = reader(expectOk(last, 'reading back the files'));
        // A unit that could not read every file back answers NOT_FOUND instead (handled by expectOk).
        return { allFound: true, digest: Buffer.from(r.bytes(32)) };
      },
      framesSent: client.stats.framesSent,
    };
    return { bytes: bytesTotal, retransmissions: client.stats.retransmissions - before };
  }

  async function call(type: number, body: Buffer, what: string, signal?: AbortSignal): Promise<Buffer> {
    return expectOk(await client.request(type, body, { signal, what }), what);
  }

  return {
    identity: {
      transport: 'framed',
      protocolVersion: info.version,
      maxFrame: info.maxPayload,
      description: [info.model, info.firmware].filter(Boolean).join(' '),
      ...(info.serial ? { serial: info.serial } : {}),
    },
    stats: client.stats,
    async writeFiles(files: readonly DeviceFile[], opts: TransferOptions = {}): Promise<WriteReport> {
      if (info.version >= 3 && files.length > 0 && files.length <= 255) return writeSet(files, opts);
      const before = client.stats.retransmissions;
      const bytesTotal = files.reduce((n, f) => n + f.content.length, 0);
      // Every frame of every file, in order: PUT_BEGIN with the first bytes, then PUT_DATA chunks.
      const frames: Array<{ request: PipelinedRequest; fileIndex: number; bytes: number }> = [];
      for (const [fileIndex, file] of files.entries()) {
        const target = devicePath(settings.deviceDir, file.path);
        // PUT_BEGIN carries the first chunk; the unit finalises the file when the last byte is in.
        const header = payload({ u32: file.content.length }, { u16: file.mode & 0o7777 }, { str8: target });
        const first = file.content.subarray(0, Math.max(0, chunkSize + 4 - header.length));
        frames.push({
          request: {
            type: Cmd.PUT_BEGIN,
            payload: Buffer.concat([header, first]),
            what: `starting ${file.path}`,
          },
          fileIndex,
          bytes: first.length,
        });
        for (let at = first.length; at < file.content.length; at += chunkSize) {
          const chunk = file.content.subarray(at, at + chunkSize);
          frames.push({
            request: {
              type: Cmd.PUT_DATA,
              payload: payload({ u32: at }, chunk),
              what: `writing ${file.path}`,
            },
            fileIndex,
            bytes: chunk.length,
          });
        }
      }
      let bytesDone = 0;
      // v2: the read-back request rides in the same window, right behind the last frame.
      const withVerify = info.version >= 2 && files.length > 0 && files.length <= 255;
      early = null;
      const replies = await client.pipeline(
        [...frames.map((f) => f.request), ...(withVerify ? [verifyRequest(files)] : [])],
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onReply(index, reply) {
            const frame = frames[index];
            if (!frame) return; // the VERIFY: looked at by verifyFiles
            expectOk(reply, frame.request.what!);
            bytesDone += frame.bytes;
            opts.onProgress?.({
              phase: 'write',
              path: files[frame.fileIndex]!.path,
              fileIndex: frame.fileIndex,
              fileCount: files.length,
              bytesDone,
              bytesTotal,
            });
          },
        },
      );
      if (withVerify) {
        const last = replies.at(-1)!;
        early = {
          key: fileSetKey(files),
          answer: () => verifyAnswer(last, files),
          framesSent: client.stats.framesSent,
        };
      }
      return { bytes: bytesDone, retransmissions: client.stats.retransmissions - before };
    },
    verifyFiles(files: readonly DeviceFile[], opts: TransferOptions = {}): Promise<VerifyResult[]> {
      if (files.length === 0) return Promise.resolve([]);
      return info.version >= 2 && files.length <= 255 ? verifyAll(files, opts) : hashEach(files, opts);
    },
    async readIdentity(opts: TransferOptions = {}) {
      // GET of device.json5; NOT_FOUND means the unit holds nothing yet.
      const target = devicePath(settings.deviceDir, DEVICE_JSON5_PATH);
      const parts: Buffer[] = [];
      let offset = 0;
      for (;;) {
        const what = 'reading what the unit holds (config/device.json5)';
        const reply = await client.request(
          Cmd.GET,
          payload({ u32: offset }, { u16: chunkSize }, { str8: target }),
          { signal: opts.signal, what },
        );
        if (reply.status === Status.NOT_FOUND) return parseHeldIdentity(null);
        const r = reader(expectOk(reply, what));
        const total = r.u32();
        const data = r.rest();
        parts.push(Buffer.from(data));
        offset += data.length;
        if (offset >= total || data.length === 0) break;
      }
      return parseHeldIdentity(Buffer.concat(parts).toString('utf8'));
    },
    async requestCsr(request, opts: TransferOptions = {}) {
      const what = 'asking the unit for a certificate request (CSR)';
      const body = payload(
        { u8: CsrKeyType[request.keyType] },
        { str8: devicePath(settings.deviceDir, 'certs/ioto.key') },
        { str8: request.claimId },
        { str8: request.subject.O ?? '' },
        { str8: request.subject.OU ?? '' },
      );
      const reply = await client.request(Cmd.CSR, body, {
        signal: opts.signal,
        what,
        replyTimeoutMs: Math.max(CSR_REPLY_TIMEOUT_MS, settings.timeoutMs ?? 0),
      });
      if (reply.status === Status.UNKNOWN_COMMAND)
        throw new Failure(
          'device-refused',
          "The unit's firmware cannot make its own key (no CSR command). Set the profile's certificate keySource to host, or update the firmware.",
          { detail: `${options.path}: CSR (0x50) answered UNKNOWN_COMMAND` },
        );
      return pemFromDer(expectOk(reply, what));
    },
    async commit(opts: TransferOptions = {}) {
      await call(Cmd.COMMIT, Buffer.alloc(0), 'saving the files (COMMIT)', opts.signal);
    },
    async readFile(path, opts = {}) {
      const target = devicePath(settings.deviceDir, path);
      const parts: Buffer[] = [];
      let offset = 0;
      for (;;) {
        const body = await call(
          Cmd.GET,
          payload({ u32: offset }, { u16: chunkSize }, { str8: target }),
          `reading ${path}`,
          opts.signal,
        );
        const r = reader(body);
        const total = r.u32();
        const data = r.rest();
        parts.push(Buffer.from(data));
        offset += data.length;
        if (offset >= total || data.length === 0) return Buffer.concat(parts);
      }
    },
    async storeList() {
      const keys: string[] = [];
      for (;;) {
        const r = reader(await call(Cmd.STORE_LIST, payload({ u16: keys.length }), 'listing the Store'));
        const total = r.u16();
        const count = r.u8();
        for (let i = 0; i < count; i++) keys.push(r.str8());
        if (keys.length >= total || count === 0) return keys;
      }
    },
    async storeGet(key) {
      const reply = await client.request(Cmd.STORE_GET, payload({ str8: key }), {
        what: `reading Store key ${key}`,
      });
      if (reply.status === Status.NOT_FOUND) return null;
      return expectOk(reply, `reading Store key ${key}`).toString('utf8');
    },
    async storeSet(key, value) {
      await call(
        Cmd.STORE_SET,
        payload({ str8: key }, Buffer.from(value, 'utf8')),
        `setting Store key ${key}`,
      );
    },
    async reboot() {
      await call(Cmd.REBOOT, Buffer.alloc(0), 'rebooting the unit');
    },
    async close() {
      client.dispose();
      await link.close();
    },
  };
}
