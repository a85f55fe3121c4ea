/**
 * Mounts a LittleFS image (on-disk 2.x) read-only and lists and reads its files: the station's
 * check of what it wrote, and the field engineer's view of a unit's storage partition. Follows
 * SPEC.md: both blocks of a metadata pair are parsed commit by commit (tags XOR-chained, each
 * commit accepted only when its CRC matches), the newer revision wins, ids move with CREATE and
 * DELETE, directories continue through hard tails, a pending move in the global state hides its
 * source, and large files are read back through their CTZ skip-lists. Blocks are read on demand
 * from a BlockSource, so a unit's flash is read only where the files are.
 */
import { Failure } from '../failure';
import {
  DELETED_SIZE,
  MAGIC,
  NULL_BLOCK,
  TYPE,
  ctz,
  ctzBlockCount,
  ctzCapacity,
  lfsCrc,
  revisionAfter,
  tagChunk,
  tagDataSize,
  tagId,
  tagIsValid,
  tagSize,
  tagType1,
  tagType3,
} from './format';

export interface Superblock {
  version: number;
  blockSize: number;
  blockCount: number;
  nameMax: number;
  fileMax: number;
  attrMax: number;
}

export interface FsEntry {
  name: string;
  type: 'file' | 'dir';
  size: number;
}

export interface MountedFs {
  superblock: Superblock;
  readdir(path: string): Promise<FsEntry[]>;
  readFile(path: string): Promise<Buffer>;
  exists(path: string): Promise<boolean>;
  /** Every file, depth first: `config/device.json5`. */
  files(): Promise<Array<{ path: string; size: number }>>;
}

/** Where blocks come from: an image in memory, or a unit's flash read on demand. */
export interface BlockSource {
  /** Bytes available (the partition's size). */
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(image: Uint8Array): BlockSource {
  const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  return {
    size: buf.length,
    read: (offset, length) => Promise.resolve(buf.subarray(offset, offset + length)),
  };
}

type Pair = [number, number];
interface Entry {
  type: number;
  name: Buffer | null;
  struct: { type: number; data: Buffer } | null;
}
interface PairState {
  pair: Pair;
  revision: number;
  entries: Entry[];
  tail: { hard: boolean; pair: Pair } | null;
  gdelta: Buffer;
}
interface Found {
  name: string;
  type: 'file' | 'dir';
  entry: Entry;
}

const corrupt = (what: string) =>
  new Failure('corrupt-file', `The unit's storage is not a readable LittleFS filesystem: ${what}.`);

/** One block's commits: tags take effect only when their commit's CRC matches. */
function parseBlock(b: Buffer, n: number): PairState | null {
  const revision = b.readUInt32LE(0);
  let state = { entries: [] as Entry[], tail: null as PairState['tail'], gdelta: Buffer.alloc(12) };
  let pending: Array<{ tag: number; data: Buffer }> = [];
  let committed = false;
  let off = 4;
  let ptag = 0xffff_ffff;
  let start = 0;
  while (off + 4 <= b.length) {
    const tag = (b.readUInt32BE(off) ^ ptag) >>> 0;
    if (!tagIsValid(tag)) break;
    const dsize = tagDataSize(tag);
    if (off + 4 + dsize > b.length) break;
    const data = b.subarray(off + 4, off + 4 + dsize);
    if (tagType1(tag) === 5 && tagType3(tag) !== TYPE.fcrc) {
      if (dsize < 4) break;
      if (lfsCrc(0xffff_ffff, b.subarray(start, off + 4)) !== data.readUInt32LE(0)) break;
      state = applyAll(state, pending);
      pending = [];
      committed = true;
      // The CRC tag's lowest type bit says which valid bit the next commit's tags carry.
      ptag = (tag ^ ((tagChunk(tag) & 1) << 31)) >>> 0;
      off += 4 + dsize;
      start = off;
      continue;
    }
    pending.push({ tag, data });
    ptag = tag;
    off += 4 + dsize;
  }
  return committed ? { pair: [n, n], revision, ...state } : null;
}

function applyAll(
  before: { entries: Entry[]; tail: PairState['tail']; gdelta: Buffer },
  tags: Array<{ tag: number; data: Buffer }>,
) {
  const entries = before.entries.map((e) => ({ ...e }));
  let tail = before.tail;
  const gdelta = Buffer.from(before.gdelta);
  const at = (id: number) => {
    while (entries.length <= id) entries.push({ type: 0, name: null, struct: null });
    return entries[id]!;
  };
  for (const { tag, data } of tags) {
    const type3 = tagType3(tag);
    const id = tagId(tag);
    switch (tagType1(tag)) {
      case 0: {
        const e = at(id);
        e.type = type3;
        e.name = Buffer.from(data);
        break;
      }
      case 4:
        if (type3 === TYPE.create) entries.splice(id, 0, { type: 0, name: null, struct: null });
        else if (type3 === TYPE.delete) entries.splice(id, 1);
        break;
      case 2:
        at(id).struct = tagSize(tag) === DELETED_SIZE ? null : { type: type3, data: Buffer.from(data) };
        break;
      case 6: {
        const pair: Pair = [data.readUInt32LE(0), data.readUInt32LE(4)];
        tail =
          pair[0] === NULL_BLOCK && pair[1] === NULL_BLOCK ? null : { hard: (tagChunk(tag) & 1) === 1, pair };
        break;
      }
      case 7:
        for (let i = 0; i < Math.min(12, data.length); i++) gdelta[i]! ^= data[i]!;
        break;
      default:
        break; // user attributes and unknown tags do not change what is read
    }
  }
  return { entries, tail, gdelta };
}

function readSuperblock(state: PairState): Superblock {
  const e = state.entries[0];
  if (!e || e.type !== TYPE.superblock || e.struct?.type !== TYPE.inlineStruct || e.struct.data.length < 24)
    throw corrupt('the superblock entry is missing');
  const d = e.struct.data;
  return {
    version: d.readUInt32LE(0),
    blockSize: d.readUInt32LE(4),
    blockCount: d.readUInt32LE(8),
    nameMax: d.readUInt32LE(12),
    fileMax: d.readUInt32LE(16),
    attrMax: d.readUInt32LE(20),
  };
}

const samePair = (a: Pair, b: Pair) => (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);

function sizeOf(entry: Entry): number {
  const s = entry.struct;
  if (s?.type === TYPE.inlineStruct) return s.data.length;
  if (s?.type === TYPE.ctzStruct) return s.data.readUInt32LE(4);
  return 0;
}

const dirPair = (entry: Entry): Pair => {
  if (entry.struct?.type !== TYPE.dirStruct) throw corrupt('a directory has no metadata pair');
  return [entry.struct.data.readUInt32LE(0), entry.struct.data.readUInt32LE(4)];
};

export async function mountLittleFs(
  image: Uint8Array | BlockSource,
  options: { blockSize?: number } = {},
): Promise<MountedFs> {
  const source = image instanceof Uint8Array ? bufferSource(image) : image;
  let blockSize = options.blockSize ?? 4096;
  let blockCount = Math.floor(source.size / blockSize);
  const blocks = new Map<number, Promise<Buffer>>();
  const pairs = new Map<string, PairState>();
  const block = (n: number): Promise<Buffer> => {
    if (n >= blockCount) return Promise.reject(corrupt(`block ${n} is outside the partition`));
    let b = blocks.get(n);
    if (!b) {
      b = source.read(n * blockSize, blockSize);
      blocks.set(n, b);
    }
    return b;
  };

  async function fetchPair(pair: Pair): Promise<PairState> {
    const key = `${pair[0]},${pair[1]}`;
    const known = pairs.get(key);
    if (known) return known;
    const a = parseBlock(await block(pair[0]), pair[0]);
    const b = parseBlock(await block(pair[1]), pair[1]);
    let pick = a ?? b;
    if (a && b) pick = revisionAfter(b.revision, a.revision) ? b : a;
    if (!pick) throw corrupt(`metadata pair {${pair[0]}, ${pair[1]}} has no valid commit`);
    const state = { ...pick, pair };
    pairs.set(key, state);
    return state;
  }

  if (source.size < 2 * blockSize) throw corrupt('it is smaller than two blocks');
  const magicAt = async (n: number) => (await block(n)).subarray(8, 16).toString('latin1') === MAGIC;
  if (!(await magicAt(0)) && !(await magicAt(1)))
    throw corrupt('there is no "littlefs" superblock at its start');
  const superblock = readSuperblock(await fetchPair([0, 1]));
  if (options.blockSize !== undefined && superblock.blockSize !== options.blockSize)
    throw corrupt(`its block size is ${superblock.blockSize}, expected ${options.blockSize}`);
  if (superblock.blockSize !== blockSize) {
    blockSize = superblock.blockSize;
    pairs.clear();
    blocks.clear();
  }
  blockCount = Math.min(superblock.blockCount, Math.floor(source.size / blockSize));
  if (superblock.version >>> 16 !== 2) throw corrupt(`on-disk version ${superblock.version >>> 16} is not 2`);

  // Walk the threaded list: the root is the last pair holding the superblock; gstate is the XOR of all deltas.
  let root: Pair = [0, 1];
  const gstate = Buffer.alloc(12);
  let cursor: Pair | null = [0, 1];
  for (let steps = 0; cursor; steps++) {
    if (steps > blockCount) throw corrupt('its metadata list loops');
    const state = await fetchPair(cursor);
    const e0 = state.entries[0];
    if (e0?.type === TYPE.superblock && e0.name?.toString('latin1') === MAGIC) root = cursor;
    for (let i = 0; i < 12; i++) gstate[i]! ^= state.gdelta[i]!;
    cursor = state.tail?.pair ?? null;
  }
  const moveTag = gstate.readUInt32LE(0);
  const move =
    tagType3(moveTag) === TYPE.delete
      ? { id: tagId(moveTag), pair: [gstate.readUInt32LE(4), gstate.readUInt32LE(8)] as Pair }
      : null;

  async function list(pair: Pair): Promise<Found[]> {
    const out: Found[] = [];
    let at: Pair | null = pair;
    for (let steps = 0; at; steps++) {
      if (steps > blockCount) throw corrupt('a directory loops');
      const state = await fetchPair(at);
      state.entries.forEach((entry, id) => {
        if (move && samePair(move.pair, state.pair) && move.id === id) return;
        if (entry.type !== TYPE.reg && entry.type !== TYPE.dir) return;
        out.push({
          name: entry.name!.toString('utf8'),
          type: entry.type === TYPE.reg ? 'file' : 'dir',
          entry,
        });
      });
      at = state.tail?.hard ? state.tail.pair : null;
    }
    return out;
  }

  async function lookup(path: string): Promise<Found | { type: 'root' } | null> {
    const parts = path.split('/').filter((p) => p.length > 0 && p !== '.');
    if (parts.length === 0) return { type: 'root' };
    let pair = root;
    let found: Found | undefined;
    for (const [i, part] of parts.entries()) {
      found = (await list(pair)).find((f) => f.name === part);
      if (!found) return null;
      if (i < parts.length - 1) {
        if (found.type !== 'dir') return null;
        pair = dirPair(found.entry);
      }
    }
    return found ?? null;
  }

  async function content(entry: Entry, path: string): Promise<Buffer> {
    const s = entry.struct;
    if (!s) return Buffer.alloc(0);
    if (s.type === TYPE.inlineStruct) return Buffer.from(s.data);
    if (s.type !== TYPE.ctzStruct) throw corrupt(`${path} has an unknown structure`);
    const head = s.data.readUInt32LE(0);
    const size = s.data.readUInt32LE(4);
    if (size === 0) return Buffer.alloc(0);
    const count = ctzBlockCount(blockSize, size);
    const chain = new Array<number>(count);
    let current = head;
    for (let i = count - 1; i >= 0; i--) {
      chain[i] = current;
      if (i > 0) current = (await block(current)).readUInt32LE(0);
    }
    const out = Buffer.alloc(size);
    let pos = 0;
    for (const [i, b] of chain.entries()) {
      const skip = i === 0 ? 0 : 4 * (ctz(i) + 1);
      const take = Math.min(ctzCapacity(blockSize, i), size - pos);
      (await block(b)).copy(out, pos, skip, skip + take);
      pos += take;
    }
    return out;
  }

  return {
    superblock,
    async readdir(path) {
      const found = await lookup(path);
      if (!found) throw new Failure('not-found', `There is no folder ${path} on the unit's storage.`);
      if (found.type === 'file') throw new Failure('validation', `${path} is a file, not a folder.`);
      const pair = found.type === 'root' ? root : dirPair(found.entry);
      return (await list(pair)).map((f) => ({
        name: f.name,
        type: f.type,
        size: f.type === 'file' ? sizeOf(f.entry) : 0,
      }));
    },
    async readFile(path) {
      const found = await lookup(path);
      if (!found || found.type !== 'file')
        throw new Failure('not-found', `There is no file ${path} on the unit's storage.`);
      return content(found.entry, path);
    },
    async exists(path) {
      return (await lookup(path)) !== null;
    },
    async files() {
      const out: Array<{ path: string; size: number }> = [];
      const walk = async (pair: Pair, prefix: string) => {
        for (const f of await list(pair)) {
          if (f.type === 'dir') await walk(dirPair(f.entry), `${prefix}${f.name}/`);
          else out.push({ path: `${prefix}${f.name}`, size: sizeOf(f.entry) });
        }
      };
      await walk(root, '');
      return out;
    },
  };
}
