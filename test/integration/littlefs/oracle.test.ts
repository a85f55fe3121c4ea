/**
 * Issue 15: the image the station writes, checked by another LittleFS implementation, the littlefs
 * project's own C library (what ESP-IDF's esp_littlefs compiles), mounted with ESP-IDF's settings
 * (test/support/littlefsOracle/harness.c). Its source is not part of this repository and cannot be
 * downloaded by CI, so this test runs only when LITTLEFS_SRC names a littlefs checkout (lfs.c,
 * lfs.h, lfs_util.c, lfs_util.h) and a C compiler is there:
 *
 *   git clone https://github.com/littlefs-project/littlefs /tmp/littlefs
 *   LITTLEFS_SRC=/tmp/littlefs npx vitest run --project integration test/integration/littlefs
 *
 * What it shows: the reference library mounts a unit's image (on-disk version 2.1, the partition's
 * block count, name max 64) over erased and over garbage-filled free blocks and reads every file
 * byte for byte; it can then write to it as the agent does at run time (a database of several
 * blocks, so it allocates free blocks of our image; a changed device.json5), and our reader reads
 * what it wrote; and our reader reads an image the reference library formatted and wrote itself.
 * Skipped (not failed) without LITTLEFS_SRC: docs/esp32.md says so.
 */
import crypto from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUnitImage } from '../../../electron/core/esp32/image';
import { esp32Settings } from '../../../electron/core/esp32/profile';
import { mountLittleFs } from '../../../electron/core/littlefs';
import { factoryProfilesDir } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const src = process.env.LITTLEFS_SRC;
const haveSource =
  !!src && ['lfs.c', 'lfs.h', 'lfs_util.c', 'lfs_util.h'].every((f) => fs.existsSync(path.join(src, f)));
const SIZE = 0x400000;

const unit = [
  {
    path: 'config/device.json5',
    content: Buffer.from(`{ product: '01J9ESP32DEMQ0KXR7V4T2N8MB', id: 'M72DANY8BZ' }\n`),
  },
  { path: 'certs/ioto.key', content: crypto.randomBytes(1200) },
  // Several CTZ skip-list blocks, one that needs two, one inline file, an empty one, a deep name of 64 bytes.
  { path: 'site/assets/big.bin', content: crypto.randomBytes(150_000) },
  { path: 'site/assets/mid.bin', content: crypto.randomBytes(5000) },
  { path: `a/b/c/d/${'n'.repeat(60)}.txt`, content: Buffer.from('deep\n') },
  { path: 'empty.txt', content: Buffer.alloc(0) },
];

describe.skipIf(!haveSource)('the reference littlefs (LITTLEFS_SRC) and our images', () => {
  let harness = '';
  let dir = '';
  beforeAll(() => {
    const temp = makeTempDir('lineside-lfs-oracle-');
    dir = temp.dir;
    harness = path.join(dir, 'harness');
    const cc = spawnSync(
      'cc',
      [
        '-O1',
        '-std=c99',
        '-DLFS_NO_DEBUG',
        '-DLFS_NO_WARN',
        `-I${src}`,
        '-o',
        harness,
        path.join(__dirname, '../../support/littlefsOracle/harness.c'),
        path.join(src!, 'lfs.c'),
        path.join(src!, 'lfs_util.c'),
      ],
      { encoding: 'utf8' },
    );
    if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
    return temp.cleanup;
  });

  const run = (...args: string[]) => execFileSync(harness, args, { maxBuffer: 1 << 28 }).toString();
  function dump(file: string): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    for (const line of run('dump', file).trim().split('\n'))
      if (line.startsWith('F ')) {
        const [, p, , hex] = line.split(' ');
        files.set(p!.replace(/^\//, ''), Buffer.from(hex ?? '', 'hex'));
      }
    return files;
  }

  const esp = esp32Settings({ stateDir: 'ioto-esp32' }, factoryProfilesDir);
  for (const free of ['erased', 'garbage'] as const)
    it(`mounts a unit's image over ${free} free blocks, reads every file, and writes to it as the agent does`, async () => {
      const image = buildUnitImage(esp.stateFiles, unit, SIZE);
      const flash = Buffer.alloc(SIZE, 0xff);
      if (free === 'garbage') crypto.randomFillSync(flash);
      image.payload.copy(flash, 0);
      const file = path.join(dir, `ours-${free}.img`);
      fs.writeFileSync(file, flash);

      expect(run('dump', file).split('\n')[0]).toBe(`V 00020001 ${SIZE / 4096} 64`);
      const read = dump(file);
      expect([...read.keys()].sort()).toEqual(image.files.map((f) => f.path).sort());
      for (const f of image.files) expect(read.get(f.path)!.equals(f.content), f.path).toBe(true);

      // A database of several blocks: the library allocates (and erases) free blocks of our image.
      const database = crypto.randomBytes(15_000).toString('hex');
      expect(run('append', file, '/db/device.db', database).trim()).toBe('OK');
      expect(run('append', file, '/config/device.json5', "{ id: 'CHANGED' }").trim()).toBe('OK');
      const after = dump(file);
      expect(after.get('db/device.db')!.toString()).toBe(database);
      expect(after.get('site/assets/big.bin')!.equals(unit[2]!.content)).toBe(true);
      const ours = await mountLittleFs(fs.readFileSync(file), { blockSize: 4096 });
      expect((await ours.readFile('db/device.db')).toString()).toBe(database);
      expect((await ours.readFile('config/device.json5')).toString()).toBe("{ id: 'CHANGED' }");
      expect((await ours.readFile('site/assets/big.bin')).equals(unit[2]!.content)).toBe(true);
    });

  it('our reader reads an image the reference library formatted and wrote', async () => {
    const list = path.join(dir, 'list.txt');
    fs.writeFileSync(list, unit.map((f) => `/${f.path}\t${f.content.toString('hex')}`).join('\n') + '\n');
    const file = path.join(dir, 'theirs.img');
    expect(run('mkfs', file, String(SIZE), list).trim()).toBe('OK');
    const ours = await mountLittleFs(fs.readFileSync(file), { blockSize: 4096 });
    for (const f of unit) expect((await ours.readFile(f.path)).equals(f.content), f.path).toBe(true);
  });
});
