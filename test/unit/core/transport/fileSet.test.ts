/**
 * Framed v3's file-set stream and the shell transport's one-command set: what the station sends
 * decodes to exactly the files, and the read-back digests the station expects are the ones a unit
 * computes (the shell's against the real sha256sum/md5sum).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSet, encodeSet, setDigest } from '../../../../electron/core/transport/framed/fileSet';
import { SetEncoding } from '../../../../electron/core/transport/framed/protocol';
import { setListingDigest, streamSet } from '../../../../electron/core/transport/shell/commands';
import { makeTempDir } from '../../../support/tempDir';

const files = [
  {
    target: 'config/device.json5',
    mode: 0o644,
    content: Buffer.from(`{ id: 'M72DANY8BZ', ${'x: 1, '.repeat(50)} }\n`),
  },
  { target: 'certs/ioto.key', mode: 0o600, content: randomBytes(700) },
  { target: 'config/empty', mode: 0o644, content: Buffer.alloc(0) },
];

describe('file sets', () => {
  it('framed v3: deflated when smaller, stored otherwise, and both decode to exactly the files', () => {
    const packed = encodeSet(files, true);
    expect(packed.encoding).toBe(SetEncoding.DEFLATE);
    expect(packed.wire.length).toBeLessThan(packed.streamBytes);
    const stored = encodeSet(files, false);
    expect(stored.encoding).toBe(SetEncoding.STORED);
    const random = encodeSet([{ target: 'a', mode: 0o600, content: randomBytes(4096) }], true);
    expect(random.encoding).toBe(SetEncoding.STORED);
    for (const e of [packed, stored]) expect(decodeSet(e.encoding, e.wire)).toEqual(files);
    expect(() => decodeSet(SetEncoding.STORED, stored.wire.subarray(0, stored.wire.length - 1))).toThrow(
      RangeError,
    );
    expect(() => decodeSet(SetEncoding.DEFLATE, Buffer.from('not deflate'))).toThrow(RangeError);
    const manual = createHash('sha256');
    for (const f of files) manual.update(createHash('sha256').update(f.content).digest());
    expect(setDigest(files.map((f) => f.content)).equals(manual.digest())).toBe(true);
  });

  it('shell: the listing digest is what `sha256sum a b | sha256sum` and md5sum print on a real system', () => {
    const temp = makeTempDir('lineside-listing-');
    try {
      const rel = files.map((f) => ({ path: f.target, content: f.content }));
      for (const f of rel) {
        fs.mkdirSync(path.dirname(path.join(temp.dir, f.path)), { recursive: true });
        fs.writeFileSync(path.join(temp.dir, f.path), f.content);
      }
      for (const algorithm of ['sha256', 'md5'] as const) {
        const out = execFileSync(
          'sh',
          ['-c', `${algorithm}sum ${rel.map((f) => `'${f.path}'`).join(' ')} | ${algorithm}sum`],
          {
            cwd: temp.dir,
          },
        ).toString();
        expect(out.split(/\s/)[0]).toBe(setListingDigest(rel, algorithm));
      }
    } finally {
      temp.cleanup();
    }
  });

  it('shell: one here-document of printable base64 lines, ended by a tag base64 can never produce', () => {
    const rel = files.map((f) => ({ path: f.target, content: f.content, mode: f.mode }));
    const { command, body } = streamSet('/var/ioto', rel, '_7', { gzip: true });
    expect(command).toBe(
      `__lsw z '/var/ioto' 644 ${files[0]!.content.length} 'config/device.json5' 600 700 'certs/ioto.key' 644 0 'config/empty' <<'_7'`,
    );
    const lines = body.split('\r');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('_7');
    for (const line of lines.slice(0, -2)) expect(line).toMatch(/^[A-Za-z0-9+/=]{1,3072}$/);
    // Incompressible bytes go plain ('p'), never larger than they need be.
    expect(
      streamSet('/d', [{ path: 'k', content: randomBytes(2000), mode: 0o600 }], '_8', { gzip: true }).command,
    ).toMatch(/^__lsw p /);
  });
});
