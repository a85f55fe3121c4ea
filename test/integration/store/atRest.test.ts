/**
 * Secrets at rest in the station's files: the data directory and database files are the user's
 * alone, and a database from an earlier build that holds product tokens in plain text is sealed
 * when the station next opens it, with no plain copy left in the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStation, ensureOrder, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const TOKEN = '01H4R15D3478JD26YDYK408XE6'; // the ioto-demo profile's product
const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function station(dataDir: string): TestStation {
  const s = createTestStation({ dataDir });
  cleanups.push(() => s.close());
  return s;
}

describe('the station data directory at rest', () => {
  it('is 0700 with 0600 database files, and tightens a directory and database left readable', () => {
    const temp = makeTempDir('lineside-rest-');
    cleanups.push(temp.cleanup);
    const dataDir = path.join(temp.dir, 'data');
    const first = station(dataDir);
    first.store.settings.set('x', 1); // a write, so the WAL exists
    expect(mode(dataDir)).toBe('700');
    for (const f of ['lineside.db', 'lineside.db-wal', 'lineside.db-shm'])
      expect(mode(path.join(dataDir, f)), f).toBe('600');
    first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'lineside.db'), 0o644);
    station(dataDir);
    expect(mode(dataDir)).toBe('700');
    expect(mode(path.join(dataDir, 'lineside.db'))).toBe('600');
  });

  it('seals plain-text product tokens an earlier build stored, and leaves no plain copy in the files', () => {
    const temp = makeTempDir('lineside-rest-');
    cleanups.push(temp.cleanup);
    const old = station(temp.dir);
    // What an earlier build wrote: the profile text and a device.json5, each with the token.
    old.store.settings.set('secrets.tokens-sealed-at-rest', false);
    ensureOrder(old, 'WO-OLD', 1, '2026-11-21T10:00:00.000Z');
    seedUnits(old, ['D000000001'], 'verified', 'WO-OLD');
    const deviceJson = `{\n  product: "${TOKEN}",\n  id: "D000000001"\n}\n`;
    old.store.db
      .prepare(
        "INSERT INTO unit_files (claim_id, path, sha256, size, mode, content, written_at) VALUES ('D000000001', 'config/device.json5', 'x', 1, 420, ?, 'now')",
      )
      .run(Buffer.from(deviceJson));
    old.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(old.store.file).includes(TOKEN)).toBe(true);
    old.close();

    const now = station(temp.dir);
    const bytes = Buffer.concat(
      ['', '-wal'].flatMap((s) =>
        fs.existsSync(now.store.file + s) ? [fs.readFileSync(now.store.file + s)] : [],
      ),
    );
    expect(bytes.includes(TOKEN)).toBe(false);
    const stored = now.store.db
      .prepare("SELECT content FROM unit_files WHERE claim_id = 'D000000001'")
      .pluck()
      .get() as Buffer;
    expect(stored.toString()).toMatch(/product: "\{\{secret:product_[0-9a-f]{18}\}\}"/);
    // Reading restores it exactly: the profile version, and the file the cloud registration reads.
    const version = now.orders.profileVersion('seed-WO-OLD');
    expect(version.profile.product).toBe(TOKEN);
    expect(version.text).toBe(
      fs.readFileSync(path.join(__dirname, '../../../factory-profiles/ioto-demo.json5'), 'utf8'),
    );
    expect(now.secrets.list('product_').map((s) => s.label)).toContain('product:ioto-demo');
  });
});
