import { describe, expect, it } from 'vitest';
import { createDecoder, crc32, encodeFrame } from '../../../../electron/core/transport/framed/frame';
import { Cmd, payload, reader } from '../../../../electron/core/transport/framed/protocol';

describe('framed protocol frames (docs/serial-protocol.md)', () => {
  it('CRC32 is the IEEE/zlib one (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodes the worked example of the document byte for byte', () => {
    const hello = encodeFrame({
      type: Cmd.HELLO,
      flags: 0,
      seq: 1,
      payload: payload({ u8: 1 }, { u16: 16384 }),
    });
    // magic 4c 53 | type 01 | flags 00 | seq 01 00 | len 03 00 | payload 01 00 40 | crc 2e 5a bb 67
    expect(hello.toString('hex')).toBe('4c53010001000300010040' + '2e5abb67');
  });

  it('decodes frames split anywhere, skips console text, and resynchronises after corruption', () => {
    const a = encodeFrame({ type: Cmd.HASH, flags: 1, seq: 7, payload: Buffer.from('abc') });
    const b = encodeFrame({ type: Cmd.COMMIT, flags: 0, seq: 8, payload: Buffer.alloc(0) });
    const bad = Buffer.from(a);
    bad[9]! ^= 0x04;
    const stream = Buffer.concat([Buffer.from('ioto: booting\r\n'), a, bad, b]);
    const d = createDecoder(1024);
    const events = [];
    for (let i = 0; i < stream.length; i += 5) events.push(...d.push(stream.subarray(i, i + 5)));
    const kinds = events.map((e) => (e.kind === 'frame' ? `frame:${e.frame.seq}` : e.kind));
    expect(kinds.filter((k) => k !== 'noise')).toEqual(['frame:7', 'bad', 'frame:8']);
    const noise = Buffer.concat(events.flatMap((e) => (e.kind === 'noise' ? [e.bytes] : [])));
    expect(noise.toString('latin1')).toContain('ioto: booting');
  });

  it('payload readers refuse short payloads', () => {
    const r = reader(payload({ u16: 5 }, { str8: 'config/device.json5' }));
    expect(r.u16()).toBe(5);
    expect(r.str8()).toBe('config/device.json5');
    expect(() => r.u32()).toThrow(RangeError);
  });
});
