import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../../electron/core/clock';
import { isFailure } from '../../../electron/core/failure';
import { createKeyFileProtector, createSecrets, type Protector } from '../../../electron/core/secrets';
import { loadOrCreateKey } from '../../../electron/core/secrets/protector';
import { m040 } from '../../../electron/core/store/migrations/040-cloud-outbox';
import { makeTempDir } from '../../support/tempDir';

const TOKEN = '01H4R15D3478JD26YDYK408XE6';
const clock = fixedClock('2026-11-21T10:00:00.000Z');
const temps: (() => void)[] = [];
afterEach(() => temps.splice(0).forEach((c) => c()));

function setup(protector?: Protector) {
  const t = makeTempDir();
  temps.push(t.cleanup);
  const db = new Database(path.join(t.dir, 'x.db'));
  db.exec(m040.sql);
  const keyFile = path.join(t.dir, 'secrets.key');
  const secrets = createSecrets({
    db,
    clock,
    randomBytes,
    protector: protector ?? createKeyFileProtector({ keyFile, randomBytes }),
  });
  return { db, secrets, keyFile, dir: t.dir };
}

describe('secrets at rest', () => {
  it('seals a product token with AES-256-GCM under a 0600 key file; the file and rows never hold it', () => {
    const { db, secrets, keyFile, dir } = setup();
    const stored = secrets.put('product:Widget', TOKEN);
    expect(stored.fingerprint).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(keyFile).size).toBe(32);
    db.close();
    for (const f of fs.readdirSync(dir))
      expect(fs.readFileSync(path.join(dir, f)).includes(TOKEN), f).toBe(false);
  });

  it('gives the token back to core, and the same label and value map to one ref', () => {
    const { secrets } = setup();
    const a = secrets.put('product:Widget', TOKEN);
    expect(secrets.put('product:Widget', TOKEN).ref).toBe(a.ref);
    expect(secrets.reveal(a.ref)).toBe(TOKEN);
    expect(secrets.matches(a.ref, TOKEN)).toBe(true);
    expect(secrets.matches(a.ref, TOKEN.replace('6', '7'))).toBe(false);
    expect(secrets.list('product_').map((s) => s.label)).toEqual(['product:Widget']);
  });

  it('binds each ciphertext to its row: swapped rows fail to open', () => {
    const { db, secrets } = setup();
    const a = secrets.put('product:A', TOKEN);
    const b = secrets.put('product:B', 'ANOTHERTOKEN00000000000000');
    const rowA = db.prepare('SELECT ciphertext FROM secrets WHERE ref = ?').pluck().get(a.ref);
    db.prepare('UPDATE secrets SET ciphertext = ? WHERE ref = ?').run(rowA, b.ref);
    expect(() => secrets.reveal(b.ref)).toThrow(/could not be decrypted/);
  });

  it('two processes creating the key at the same moment get the same key, and neither reads it empty', () => {
    const temp = makeTempDir('lineside-key-race-');
    temps.push(temp.cleanup);
    const keyFile = path.join(temp.dir, 'station', 'secrets.key');
    const realWrite = fs.writeFileSync;
    let other: Buffer | unknown;
    // The first write this process makes is interrupted by a second process running start to end:
    // as an open(O_CREAT | O_EXCL) that has made the file but not yet written it.
    const spy = vi.spyOn(fs, 'writeFileSync').mockImplementation(((
      file: fs.PathOrFileDescriptor,
      data: string | NodeJS.ArrayBufferView,
      options?: fs.WriteFileOptions,
    ) => {
      spy.mockRestore();
      if (file === keyFile) realWrite(file, '');
      try {
        other = loadOrCreateKey(keyFile, randomBytes);
      } catch (error) {
        other = error;
      }
      realWrite(file, data, file === keyFile ? undefined : options);
    }) as typeof fs.writeFileSync);
    const mine = loadOrCreateKey(keyFile, randomBytes);
    expect(other).toBeInstanceOf(Buffer);
    expect((other as Buffer).equals(mine)).toBe(true);
    expect(mine).toHaveLength(32);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['secrets.key']);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('tightens a key file readable by others and refuses a damaged one', () => {
    const { secrets, keyFile } = setup();
    const a = secrets.put('product:A', TOKEN);
    fs.chmodSync(keyFile, 0o644);
    const again = createKeyFileProtector({ keyFile, randomBytes });
    again.protect(Buffer.from('x'), 'r');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    fs.writeFileSync(keyFile, 'short');
    let error: unknown;
    try {
      createKeyFileProtector({ keyFile, randomBytes }).unprotect(Buffer.alloc(40, 1), a.ref);
    } catch (e) {
      error = e;
    }
    expect(isFailure(error) && error.message).toMatch(/key file .* is damaged/);
  });

  it('uses an injected protector (how Electron passes safeStorage) and records its scheme', () => {
    const calls: string[] = [];
    const fake: Protector = {
      scheme: 'test-keychain',
      protect: (plain) => (
        calls.push('protect'),
        Buffer.from(plain.toString('base64').split('').reverse().join(''))
      ),
      unprotect: (sealed) => (
        calls.push('unprotect'),
        Buffer.from(sealed.toString().split('').reverse().join(''), 'base64')
      ),
    };
    const { secrets, keyFile } = setup(fake);
    const s = secrets.put('product:A', TOKEN);
    expect(s.scheme).toBe('test-keychain');
    expect(secrets.reveal(s.ref)).toBe(TOKEN);
    expect(calls).toEqual(['protect', 'unprotect']);
    expect(fs.existsSync(keyFile)).toBe(false);
  });
});
