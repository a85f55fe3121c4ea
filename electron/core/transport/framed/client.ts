import { Failure } from '../../failure';
import type { SerialLink } from '../../serial/link';
import { FLAG_RESPONSE, FRAME_OVERHEAD, createDecoder, encodeFrame, type Frame } from './frame';
import { Cmd, HOST_MAX_PAYLOAD, Status, statusNames } from './protocol';

export interface LinkStats {
  framesSent: number;
  retransmissions: number;
  timeouts: number;
  badFrames: number;
  naks: number;
}

export interface Reply {
  status: number;
  body: Buffer;
}

export interface FramedClient {
  readonly stats: LinkStats;
  /** Sends a request and waits for its reply, retransmitting on timeout, NAK or a bad CRC. */
  request(
    type: number,
    payload: Buffer,
    options?: { signal?: AbortSignal; attempts?: number; what?: string; replyTimeoutMs?: number },
  ): Promise<Reply>;
  dispose(): void;
}

/**
 * Stop-and-wait with retransmission: one request in flight, its sequence number reused on every
 * retransmission so the unit answers a duplicate from its cache instead of applying it twice.
 */
export function createFramedClient(options: {
  link: SerialLink;
  /** Wait for a reply beyond the frames' own wire time. */
  replyTimeoutMs?: number;
  attempts?: number;
  onConsole?: (text: string) => void;
}): FramedClient {
  const { link } = options;
  const base = options.replyTimeoutMs ?? 400;
  const attempts = options.attempts ?? 8;
  const decoder = createDecoder(HOST_MAX_PAYLOAD + 64);
  const stats: LinkStats = { framesSent: 0, retransmissions: 0, timeouts: 0, badFrames: 0, naks: 0 };
  let seq = Math.floor(Math.random() * 0xffff);
  let waiter: ((e: { frame?: Frame; bad?: true; closed?: string }) => void) | null = null;
  let closed: string | null = null;
  const byteMs = 10_000 / link.baudRate;

  const offData = link.onData((chunk) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'noise') options.onConsole?.(event.bytes.toString('utf8'));
      else if (event.kind === 'bad') {
        stats.badFrames++;
        waiter?.({ bad: true });
      } else waiter?.({ frame: event.frame });
    }
  });
  const offClose = link.onClose((reason) => {
    closed = reason;
    waiter?.({ closed: reason });
  });

  function disconnected(what: string, reason: string) {
    return new Failure(
      'device-disconnected',
      `The unit went away while ${what}. Check the cable; the unit was not marked verified.`,
      {
        detail: `${link.path}: ${reason}`,
      },
    );
  }

  return {
    stats,
    async request(type, body, opts = {}) {
      const what = opts.what ?? `command 0x${type.toString(16)}`;
      seq = (seq + 1) & 0xffff;
      const mySeq = seq;
      const frame = encodeFrame({ type, flags: 0, seq: mySeq, payload: body });
      // Wire time of this frame and of a reply as large as the data we might get back.
      const timeoutMs = (opts.replyTimeoutMs ?? base) + (frame.length + FRAME_OVERHEAD + 64) * byteMs * 1.5;
      const tries = opts.attempts ?? attempts;
      for (let attempt = 0; attempt < tries; attempt++) {
        if (closed !== null) throw disconnected(what, closed);
        if (opts.signal?.aborted) throw new Failure('cancelled', 'Stopped on request.');
        if (attempt > 0) stats.retransmissions++;
        decoder.reset();
        const outcome = new Promise<{ frame?: Frame; bad?: true; closed?: string; timeout?: true }>(
          (resolve) => {
            const timer = setTimeout(() => finish({ timeout: true }), timeoutMs);
            const onAbort = () => finish({ closed: 'cancelled' });
            opts.signal?.addEventListener('abort', onAbort);
            function finish(e: { frame?: Frame; bad?: true; closed?: string; timeout?: true }) {
              clearTimeout(timer);
              opts.signal?.removeEventListener('abort', onAbort);
              waiter = null;
              resolve(e);
            }
            waiter = (e) => {
              if (e.frame) {
                const f = e.frame;
                if (f.type === Cmd.NAK) {
                  stats.naks++;
                  return finish({ bad: true });
                }
                // A late answer to an earlier request (its duplicate reply): ignore it.
                if (!(f.flags & FLAG_RESPONSE) || f.seq !== mySeq || f.type !== type) return;
              }
              finish(e);
            };
          },
        );
        stats.framesSent++;
        await link.write(frame).catch(() => undefined);
        const e = await outcome;
        if (e.closed === 'cancelled') throw new Failure('cancelled', 'Stopped on request.');
        if (e.closed !== undefined) throw disconnected(what, e.closed);
        if (e.timeout) stats.timeouts++;
        if (e.frame) {
          if (e.frame.payload.length < 1)
            throw new Failure(
              'protocol',
              'The unit sent a reply without a status. Its firmware does not follow the protocol.',
            );
          return { status: e.frame.payload[0]!, body: e.frame.payload.subarray(1) };
        }
      }
      throw new Failure(
        'device-timeout',
        `No answer from the unit while ${what}, after ${tries} tries. Check the cable and retry.`,
        {
          detail: `${link.path}: ${JSON.stringify(stats)}`,
        },
      );
    },
    dispose() {
      offData();
      offClose();
    },
  };
}

/** Throws a Failure a technician can act on when a reply is not OK. */
export function expectOk(reply: Reply, what: string): Buffer {
  if (reply.status === Status.OK) return reply.body;
  const name = statusNames[reply.status] ?? `status ${reply.status}`;
  const code =
    reply.status === Status.NOT_FOUND
      ? 'not-found'
      : reply.status === Status.UNKNOWN_COMMAND
        ? 'protocol'
        : 'device-refused';
  const hint =
    reply.status === Status.NO_SPACE
      ? 'The unit is out of space.'
      : reply.status === Status.KEY_TYPE
        ? "The unit cannot make this kind of key: choose a key type its firmware supports in the profile's certificate section."
        : reply.status === Status.NOT_FOUND
          ? 'The file is not on the unit.'
          : 'The unit refused it.';
  return failWith(code, `${hint} (${what}: ${name})`);
}

function failWith(code: 'not-found' | 'protocol' | 'device-refused', message: string): never {
  throw new Failure(code, message);
}
