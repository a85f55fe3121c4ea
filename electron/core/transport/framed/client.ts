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
  /** The most requests that were on their way at once (1 when stop-and-wait). */
  maxInFlight: number;
  /** Bytes written to and read from the line (for the bench's breakdown of where the time goes). */
  bytesSent: number;
  bytesReceived: number;
  /** performance.now() of the last write handed to the line, and of the last reply frame decoded. */
  lastWriteAt: number;
  lastReplyAt: number;
  /** Size on the wire of the last reply frame. */
  lastReplyBytes: number;
}

export interface Reply {
  status: number;
  body: Buffer;
}

export interface PipelinedRequest {
  type: number;
  payload: Buffer;
  /** What the station was doing, for the technician ("writing certs/ioto.crt"). */
  what?: string;
  /** Wait this long for the reply beyond the frames' wire time (default: the client's). */
  replyTimeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Tries per frame before "No answer from the unit". */
  attempts?: number;
}

export interface FramedClient {
  readonly stats: LinkStats;
  /** Requests in flight at once: 1 is stop-and-wait (protocol v1); v2 and v3 units announce theirs. */
  window: number;
  /** Sends a request and waits for its reply, retransmitting on timeout, NAK or a bad CRC. */
  request(
    type: number,
    payload: Buffer,
    options?: RequestOptions & { what?: string; replyTimeoutMs?: number },
  ): Promise<Reply>;
  /**
   * Sends the requests in order with up to `window` in flight and returns their replies in order
   * (docs/serial-protocol.md §3). `onReply` sees each reply as it arrives (for progress).
   */
  pipeline(
    requests: readonly PipelinedRequest[],
    options?: RequestOptions & { onReply?: (index: number, reply: Reply) => void },
  ): Promise<Reply[]>;
  dispose(): void;
}

type LinkEvent = { frame: Frame } | { bad: true } | { closed: string } | { timeout: true };

/**
 * Sliding window with go-back-N: up to `window` requests in flight, consecutive sequence numbers,
 * replies in order. A timeout, a NAK or a damaged reply sends every unanswered frame again with its
 * own sequence number, so the unit answers the ones it already ran from its reply cache instead of
 * applying them twice. A reply whose sequence number or type is not the oldest unanswered request
 * (a late duplicate of an earlier answer) is ignored.
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
  const defaultAttempts = options.attempts ?? 8;
  const decoder = createDecoder(HOST_MAX_PAYLOAD + 64);
  const stats: LinkStats = {
    framesSent: 0,
    retransmissions: 0,
    timeouts: 0,
    badFrames: 0,
    naks: 0,
    maxInFlight: 0,
    bytesSent: 0,
    bytesReceived: 0,
    lastWriteAt: 0,
    lastReplyAt: 0,
    lastReplyBytes: 0,
  };
  let seq = Math.floor(Math.random() * 0xffff);
  let closed: string | null = null;
  const byteMs = 10_000 / link.baudRate;
  // Events wait here until the pipeline takes them: replies may arrive while a frame is being written.
  const events: LinkEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (e: LinkEvent) => {
    events.push(e);
    wake?.();
  };

  const offData = link.onData((chunk) => {
    stats.bytesReceived += chunk.length;
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'noise') options.onConsole?.(event.bytes.toString('utf8'));
      else if (event.kind === 'bad') push({ bad: true });
      else {
        stats.lastReplyAt = performance.now();
        stats.lastReplyBytes = FRAME_OVERHEAD + event.frame.payload.length;
        push({ frame: event.frame });
      }
    }
  });
  const offClose = link.onClose((reason) => {
    closed = reason;
    push({ closed: reason });
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

  function nextEvent(timeoutMs: number, signal?: AbortSignal): Promise<LinkEvent | 'aborted'> {
    if (events.length) return Promise.resolve(events.shift()!);
    return new Promise((resolve) => {
      const finish = (e: LinkEvent | 'aborted') => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        wake = null;
        resolve(e);
      };
      const timer = setTimeout(() => finish({ timeout: true }), timeoutMs);
      const onAbort = () => finish('aborted');
      signal?.addEventListener('abort', onAbort);
      wake = () => finish(events.shift()!);
    });
  }

  const client: FramedClient = {
    stats,
    window: 1,
    async request(type, body, opts = {}) {
      const [reply] = await client.pipeline(
        [
          {
            type,
            payload: body,
            ...(opts.what ? { what: opts.what } : {}),
            ...(opts.replyTimeoutMs ? { replyTimeoutMs: opts.replyTimeoutMs } : {}),
          },
        ],
        opts,
      );
      return reply!;
    },
    async pipeline(requests, opts = {}) {
      const attempts = opts.attempts ?? defaultAttempts;
      const window = Math.max(1, client.window);
      const items = requests.map((r) => {
        seq = (seq + 1) & 0xffff;
        return {
          ...r,
          seq,
          frame: encodeFrame({ type: r.type, flags: 0, seq, payload: r.payload }),
          tries: 0,
        };
      });
      const replies: Reply[] = [];
      let acked = 0; // the oldest request without its reply
      let sent = 0; // the next request to put on the wire
      // After going back, NAKs already on their way for the frames we are resending say nothing new.
      let nakArmed = true;
      events.length = 0;
      const what = () => items[acked]!.what ?? `command 0x${items[acked]!.type.toString(16)}`;

      const goBack = () => {
        if (items[acked]!.tries >= attempts)
          throw new Failure(
            'device-timeout',
            `No answer from the unit while ${what()}, after ${attempts} tries. Check the cable and retry.`,
            { detail: `${link.path}: ${JSON.stringify(stats)}` },
          );
        sent = acked;
        nakArmed = false;
      };

      while (acked < items.length) {
        // Every frame the window allows goes out in one write: no host-side gap between frames.
        const burst: Buffer[] = [];
        while (sent < items.length && sent - acked < window) {
          if (closed !== null) throw disconnected(items[sent]!.what ?? 'talking to it', closed);
          if (opts.signal?.aborted) throw new Failure('cancelled', 'Stopped on request.');
          const item = items[sent++]!;
          if (item.tries++ > 0) stats.retransmissions++;
          stats.framesSent++;
          stats.maxInFlight = Math.max(stats.maxInFlight, sent - acked);
          burst.push(item.frame);
        }
        if (burst.length) {
          const bytes = burst.length === 1 ? burst[0]! : Buffer.concat(burst);
          stats.bytesSent += bytes.length;
          stats.lastWriteAt = performance.now();
          await link.write(bytes).catch(() => undefined);
        }
        // Long enough for every frame in flight and its reply to cross the wire, plus the unit's time.
        let inFlight = 0;
        let wait = base;
        for (let i = acked; i < sent; i++) {
          inFlight += items[i]!.frame.length + FRAME_OVERHEAD + 64;
          wait = Math.max(wait, items[i]!.replyTimeoutMs ?? base);
        }
        const e = await nextEvent(wait + inFlight * byteMs * 1.5, opts.signal);
        if (e === 'aborted') throw new Failure('cancelled', 'Stopped on request.');
        if ('closed' in e) throw disconnected(what(), e.closed);
        if ('timeout' in e) {
          stats.timeouts++;
          decoder.reset();
          goBack();
        } else if ('bad' in e) {
          stats.badFrames++;
          if (nakArmed) goBack();
        } else {
          const f = e.frame;
          if (f.type === Cmd.NAK) {
            stats.naks++;
            if (nakArmed) goBack();
            continue;
          }
          const item = items[acked]!;
          // A late answer to an earlier request (its duplicate reply): ignore it.
          if (!(f.flags & FLAG_RESPONSE) || f.seq !== item.seq || f.type !== item.type) continue;
          if (f.payload.length < 1)
            throw new Failure(
              'protocol',
              'The unit sent a reply without a status. Its firmware does not follow the protocol.',
            );
          const reply = { status: f.payload[0]!, body: f.payload.subarray(1) };
          replies.push(reply);
          acked++;
          nakArmed = true;
          opts.onReply?.(acked - 1, reply);
        }
      }
      return replies;
    },
    dispose() {
      offData();
      offClose();
    },
  };
  return client;
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
