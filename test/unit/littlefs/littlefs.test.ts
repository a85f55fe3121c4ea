import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildLittleFs, espGeometry, mountLittleFs, partitionImage } from '../../../electron/core/littlefs';

const geometry = espGeometry(0x400000);

/** CRC-32 bit by bit, written from SPEC.md's definition (poly 0x04c11db7 reflected, seed 0xffffffff, no final xor). */
function crcByHand(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return crc >>> 0;
}

const pattern = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('LittleFS image writer and reader', () => {
  it('reads back every file of a state tree byte for byte, inline and CTZ, across split directories', async () => {
    const files = [
      { path: 'config/ioto.json5', content: pattern(3000, 1) },
      { path: 'config/device.json5', content: Buffer.from("{ product: 'X', id: 'M72DANY8BZ' }\n") },
      { path: 'config/provision.json5', content: Buffer.alloc(0) },
      { path: 'schema.json5', content: pattern(512, 2) },
      { path: 'certs/roots.crt', content: pattern(513, 3) },
      // Exactly one, two and many skip-list blocks (block 1 holds 4092 bytes, block 2 4088).
      { path: 'site/a.bin', content: pattern(4096, 4) },
      { path: 'site/b.bin', content: pattern(4096 + 4092, 5) },
      { path: 'site/c.bin', content: pattern(4096 + 4092 + 4088 + 1, 6) },
      { path: 'site/deep/er/big.bin', content: pattern(300_000, 7) },
      // Enough names to split a directory over several metadata pairs (hard tails).
      ...Array.from({ length: 120 }, (_, i) => ({
        path: `db/f${String(i).padStart(3, '0')}-${'n'.repeat(40)}`,
        content: pattern(20 + i, i),
      })),
    ];
    const built = buildLittleFs(files, geometry);
    expect(built.image.length).toBe(built.usedBytes);
    const whole = partitionImage(built, geometry);
    expect(whole.length).toBe(0x400000);
    const fs = await mountLittleFs(whole, { blockSize: 4096 });
    for (const f of files) expect(Buffer.compare(await fs.readFile(f.path), f.content), f.path).toBe(0);
    expect((await fs.files()).map((f) => f.path)).toEqual(files.map((f) => f.path).sort());
    expect((await fs.readdir('config')).map((e) => e.name)).toEqual([
      'device.json5',
      'ioto.json5',
      'provision.json5',
    ]);
    expect((await fs.readdir('/')).map((e) => [e.name, e.type])).toEqual([
      ['certs', 'dir'],
      ['config', 'dir'],
      ['db', 'dir'],
      ['schema.json5', 'file'],
      ['site', 'dir'],
    ]);
    // Only the used prefix is written; the rest stays erased.
    expect(whole.subarray(built.usedBytes).every((b) => b === 0xff)).toBe(true);
  });

  it('is deterministic: the same files in any order give the same bytes', async () => {
    const a = [
      { path: 'config/device.json5', content: Buffer.from('{id:"A"}') },
      { path: 'certs/ioto.crt', content: pattern(5000, 9) },
    ];
    const one = buildLittleFs(a, geometry);
    const two = buildLittleFs([...a].reverse(), geometry);
    expect(Buffer.compare(one.image, two.image)).toBe(0);
  });

  it('gives the same bytes as the first writer did for a fixed tree (inline, CTZ, split dirs, UTF-8), and mounts', async () => {
    const files = [
      { path: 'config/device.json5', content: Buffer.from('{id:"A"}') },
      { path: 'certs/ioto.crt', content: pattern(5000, 9) },
      { path: 'site/\u00e9/\u00fc.txt', content: pattern(10, 1) },
      { path: 'site/a', content: pattern(0, 2) },
      { path: 'site/ab', content: pattern(600, 3) },
      { path: 'big/b.bin', content: pattern(70_000, 4) },
      ...Array.from({ length: 120 }, (_, i) => ({
        path: `many/f${i}-${'n'.repeat(i % 40)}`,
        content: pattern((i * 37) % 900, i),
      })),
    ];
    const built = buildLittleFs(files, geometry);
    // The SHA-256 of this tree's image from the writer before its speed work (main at f13ecab):
    // the faster writer must produce every byte the same.
    expect(built.usedBlocks).toBe(109);
    expect(crypto.createHash('sha256').update(built.image).digest('hex')).toBe(
      'a7962bff17130181275734b4644bea550fa8628aac2fcee6b9b58321b778fba9',
    );
    const fs = await mountLittleFs(partitionImage(built, geometry));
    for (const f of files) expect(Buffer.compare(await fs.readFile(f.path), f.content), f.path).toBe(0);
  });

  it('writes the superblock, tags and CRC that SPEC.md gives for an empty filesystem', async () => {
    const { image, usedBlocks } = buildLittleFs([], geometry);
    expect(usedBlocks).toBe(2);
    const b = image.subarray(0, 4096);
    // Revision count 1, little-endian.
    expect([...b.subarray(0, 4)]).toEqual([1, 0, 0, 0]);
    // Superblock name tag: type 0x0ff, id 0, size 8 = 0x0ff00008, XOR 0xffffffff, big-endian.
    expect(b.readUInt32BE(4)).toBe(0xf00ffff7);
    expect(b.subarray(8, 16).toString('latin1')).toBe('littlefs');
    // Inline-struct tag: 0x201, id 0, size 24 = 0x20100018, XORed with the previous tag.
    expect(b.readUInt32BE(16) >>> 0).toBe((0x20100018 ^ 0x0ff00008) >>> 0);
    expect(b.readUInt32BE(16)).toBe(0x2fe00010);
    // Version 2.1, block size, block count, name max 64, file max, attr max.
    expect([0, 1, 2, 3, 4, 5].map((i) => b.readUInt32LE(20 + 4 * i))).toEqual([
      0x00020001, 4096, 1024, 64, 2147483647, 1022,
    ]);
    // FCRC tag 0x5ff, id 0x3ff, size 8 = 0x5ffffc08, XOR previous = 0x7feffc10; covers 128 erased bytes.
    expect(b.readUInt32BE(44)).toBe(0x7feffc10);
    expect(b.readUInt32LE(48)).toBe(128);
    expect(b.readUInt32LE(52)).toBe(crcByHand(Buffer.alloc(128, 0xff)));
    // CRC tag 0x500 (valid state 0: erased bytes follow), id 0x3ff, size 4 + 64 padding = 68,
    // so the commit ends at 128, the program size: 0x500ffc44 XOR 0x5ffffc08 = 0x0ff0004c.
    expect(b.readUInt32BE(56)).toBe(0x0ff0004c);
    expect(b.readUInt32LE(60)).toBe(crcByHand(b.subarray(0, 60)));
    // The pair's other block is erased, so it can never win over block 0.
    expect(image.subarray(4096, 8192).every((x) => x === 0xff)).toBe(true);
  });

  it('refuses files that do not fit the partition, and names longer than 64 bytes, with one sentence', async () => {
    const small = espGeometry(16 * 4096);
    expect(() => buildLittleFs([{ path: 'db/device.db', content: Buffer.alloc(100_000) }], small)).toThrow(
      /need 29 blocks of 4096 bytes but its storage partition has 16/,
    );
    expect(() => buildLittleFs([{ path: `${'x'.repeat(65)}`, content: Buffer.alloc(1) }], geometry)).toThrow(
      /names are at most 64 bytes/,
    );
  });
});

/** Assembles a metadata block the way another LittleFS implementation may: several commits, CREATE/DELETE, no padding. */
function block(rev: number, commits: Array<Array<[number, number, Buffer]>>, breakLastCrc = false): Buffer {
  const out = Buffer.alloc(4096, 0xff);
  out.writeUInt32LE(rev, 0);
  let off = 4;
  let ptag = 0xffffffff;
  let start = 0;
  const put = (type: number, id: number, data: Buffer) => {
    const tag = ((type << 20) | (id << 10) | (data.length === 0 && type === 0x4ff ? 0 : data.length)) >>> 0;
    out.writeUInt32BE((tag ^ ptag) >>> 0, off);
    data.copy(out, off + 4);
    off += 4 + data.length;
    ptag = tag;
  };
  commits.forEach((tags, n) => {
    for (const [type, id, data] of tags) put(type, id, data);
    const tag = ((0x500 << 20) | (0x3ff << 10) | 4) >>> 0;
    out.writeUInt32BE((tag ^ ptag) >>> 0, off);
    const crc = crcByHand(out.subarray(start, off + 4));
    out.writeUInt32LE(breakLastCrc && n === commits.length - 1 ? crc ^ 1 : crc, off + 4);
    off += 8;
    start = off;
    ptag = tag;
  });
  return out;
}

describe('LittleFS reader on images it did not write', () => {
  const sb = () => {
    const d = Buffer.alloc(24);
    [0x00020000, 4096, 4, 255, 2147483647, 1022].forEach((v, i) => d.writeUInt32LE(v, 4 * i));
    return d;
  };
  const first: Array<[number, number, Buffer]> = [
    [0x0ff, 0, Buffer.from('littlefs')],
    [0x201, 0, sb()],
    [0x401, 1, Buffer.alloc(0)],
    [0x001, 1, Buffer.from('a')],
    [0x201, 1, Buffer.from('one')],
  ];
  // The second commit inserts "b" at id 1, moving "a" to id 2.
  const second: Array<[number, number, Buffer]> = [
    [0x401, 1, Buffer.alloc(0)],
    [0x001, 1, Buffer.from('b')],
    [0x201, 1, Buffer.from('two')],
  ];
  const third: Array<[number, number, Buffer]> = [[0x4ff, 2, Buffer.alloc(0)]];

  it('applies commits in order, shifting ids, and ignores a commit whose CRC fails', async () => {
    const image = Buffer.concat([
      block(5, [first, second, third], true),
      block(4, [first]),
      Buffer.alloc(8192, 0xff),
    ]);
    const fs = await mountLittleFs(image);
    expect(fs.superblock.version).toBe(0x00020000);
    expect((await fs.readdir('/')).map((e) => e.name)).toEqual(['b', 'a']);
    expect((await fs.readFile('a')).toString()).toBe('one');
    expect((await fs.readFile('b')).toString()).toBe('two');
  });

  it('takes the block with the newer revision, and a DELETE removes the file', async () => {
    const image = Buffer.concat([
      block(5, [first, second]),
      block(6, [first, second, third]),
      Buffer.alloc(8192, 0xff),
    ]);
    const fs = await mountLittleFs(image);
    expect((await fs.readdir('/')).map((e) => e.name)).toEqual(['b']);
  });

  it('says in one sentence when the partition holds no filesystem', async () => {
    await expect(mountLittleFs(Buffer.alloc(16384, 0xff))).rejects.toThrow(
      /not a readable LittleFS filesystem: there is no "littlefs" superblock/,
    );
  });
});
