/**
 * The framed client's sequence-number check, against a scripted unit on an in-memory link: a late
 * duplicate of an earlier reply must never be taken as the answer to the current request.
 */
import { describe, expect, it } from 'vitest';
import type { SerialLink } from '../../../../electron/core/serial/link';
import { createFramedClient } from '../../../../electron/core/transport/framed/client';
import { FLAG_RESPONSE, createDecoder, encodeFrame } from '../../../../electron/core/transport/framed/frame';
import { Cmd, Status, payload } from '../../../../electron/core/transport/framed/protocol';

/** A link whose far end is `answer`: it gets each decoded request and returns the bytes to send back. */
function scriptedLink(answer: (req: { type: number; seq: number }) => Buffer[]): SerialLink {
  const listeners = new Set<(chunk: Buffer) => void>();
  const decoder = createDecoder(20000);
  return {
    path: 'scripted',
    baudRate: 921600,
    closed: false,
    write(data) {
      for (const e of decoder.push(Buffer.from(data)))
        if (e.kind === 'frame')
          for (const bytes of answer(e.frame)) setImmediate(() => listeners.forEach((l) => l(bytes)));
      return Promise.resolve();
    },
    onData(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose: () => () => undefined,
    close: () => Promise.resolve(),
  };
}

const reply = (type: number, seq: number, text: string) =>
  encodeFrame({ type, flags: FLAG_RESPONSE, seq, payload: payload({ u8: Status.OK }, Buffer.from(text)) });

describe('framed client', () => {
  it('a stale duplicate reply with an old sequence number is ignored', async () => {
    // The unit first repeats its answer to the previous request (same type, older seq), then answers.
    const link = scriptedLink((req) => [
      reply(req.type, (req.seq - 1) & 0xffff, 'stale answer to the previous request'),
      reply(req.type, req.seq, 'the answer'),
    ]);
    const client = createFramedClient({ link });
    for (const window of [1, 4]) {
      client.window = window;
      const r = await client.request(Cmd.STORE_GET, payload({ str8: 'k' }));
      expect(r.body.toString()).toBe('the answer');
      const all = await client.pipeline(
        ['a', 'b', 'c'].map((k) => ({ type: Cmd.STORE_GET, payload: payload({ str8: k }) })),
      );
      expect(all.map((x) => x.body.toString())).toEqual(['the answer', 'the answer', 'the answer']);
    }
    expect(client.stats.retransmissions).toBe(0);
    client.dispose();
  });

  it('a reply to another command with the right sequence number is ignored too', async () => {
    const link = scriptedLink((req) => [
      reply(Cmd.HASH, req.seq, 'wrong type'),
      reply(req.type, req.seq, 'ok'),
    ]);
    const client = createFramedClient({ link });
    expect((await client.request(Cmd.STORE_GET, payload({ str8: 'k' }))).body.toString()).toBe('ok');
    client.dispose();
  });

  it('goes back to the oldest unanswered frame when the unit NAKs, and gets every reply once, in order', async () => {
    let dropped = false;
    const ran: number[] = [];
    let expected: number | null = null;
    const link = scriptedLink((req) => {
      expected ??= req.seq;
      // The second frame is lost on the wire once; the unit NAKs what comes after it.
      if (!dropped && ran.length === 1) {
        dropped = true;
        return [];
      }
      if (req.seq !== expected)
        return ran.includes(req.seq)
          ? [reply(req.type, req.seq, `#${req.seq}`)]
          : [encodeFrame({ type: Cmd.NAK, flags: FLAG_RESPONSE, seq: expected, payload: Buffer.alloc(0) })];
      ran.push(req.seq);
      expected = (req.seq + 1) & 0xffff;
      return [reply(req.type, req.seq, `#${req.seq}`)];
    });
    const client = createFramedClient({ link });
    client.window = 4;
    const replies = await client.pipeline(
      [0, 1, 2, 3, 4, 5].map(() => ({ type: Cmd.PUT_DATA, payload: Buffer.alloc(8) })),
    );
    expect(replies).toHaveLength(6);
    expect(new Set(ran).size).toBe(6); // each ran once
    expect(replies.map((r) => r.body.toString())).toEqual(ran.map((s) => `#${s}`));
    expect(client.stats.naks).toBeGreaterThanOrEqual(1);
    expect(client.stats.retransmissions).toBeGreaterThanOrEqual(1);
    client.dispose();
  });
});
