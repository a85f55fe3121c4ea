/**
 * Builds a LittleFS image (on-disk 2.1) of a file tree, deterministically: the same files give the
 * same bytes. Layout: the root's metadata pair in blocks 0 and 1 (superblock entry first), then
 * every other directory's pairs in depth-first name order, then the files' CTZ skip-lists. Blocks
 * are used from 0 upwards, so the image's used part is a prefix (`usedBytes`) and the rest of the
 * partition may hold anything: LittleFS erases a block when it allocates it. Each pair's second
 * block is left erased (0xff), so an old filesystem's metadata there can never win the revision
 * comparison. Every pair is on the threaded tail list, so the allocator of the unit that mounts the
 * image sees all of them.
 */
import { Failure } from '../failure';
import {
  ATTR_MAX,
  DISK_VERSION,
  FILE_MAX,
  MAGIC,
  NO_ID,
  TYPE,
  ctz,
  ctzBlockCount,
  ctzCapacity,
  lfsCrc,
  mkTag,
  type Geometry,
} from './format';

export interface ImageFile {
  /** Relative to the filesystem root, `/`-separated, e.g. `config/device.json5`. */
  path: string;
  content: Uint8Array;
}

export interface ImageOptions extends Geometry {
  /** Files up to this size live inside their directory's metadata (the unit's cache size). */
  inlineMax?: number;
}

export interface BuiltImage {
  /** The used blocks (a prefix of the partition); `partitionImage` pads it to the whole partition. */
  image: Buffer;
  /** Bytes from the start that hold the filesystem; what a station has to write. */
  usedBytes: number;
  usedBlocks: number;
}

interface FileNode {
  kind: 'file';
  name: string;
  /** The name's UTF-8 bytes, encoded once (sorting and tags use them). */
  nameBytes: Buffer;
  content: Uint8Array;
  blocks: number[];
}
interface DirNode {
  kind: 'dir';
  name: string;
  nameBytes: Buffer;
  children: Map<string, FileNode | DirNode>;
  /** The children in littlefs' name order, computed once. */
  order: Array<FileNode | DirNode>;
  pairs: Array<[number, number]>;
  /** The entries of each pair, in order. */
  chunks: Array<Array<FileNode | DirNode>>;
}

const REVISION = 1;
const MAGIC_BYTES = Buffer.from(MAGIC, 'ascii');
const nameBytes = (name: string) => Buffer.from(name, 'utf8');

/** littlefs orders a directory's names bytewise, a longer name after its prefix (Buffer.compare's order). */
const compareNames = (a: FileNode | DirNode, b: FileNode | DirNode): number =>
  Buffer.compare(a.nameBytes, b.nameBytes);

const newDir = (name: string): DirNode => ({
  kind: 'dir',
  name,
  nameBytes: nameBytes(name),
  children: new Map(),
  order: [],
  pairs: [],
  chunks: [],
});

function buildTree(files: readonly ImageFile[], nameMax: number): DirNode {
  const root = newDir('');
  for (const file of files) {
    const parts = file.path.split('/').filter((p) => p.length > 0);
    if (parts.length === 0)
      throw new Failure('validation', `A file in the image has no name: "${file.path}".`);
    let dir = root;
    parts.forEach((part, i) => {
      if (part === '.' || part === '..' || Buffer.byteLength(part, 'utf8') > nameMax)
        throw new Failure(
          'validation',
          `The name "${part}" in ${file.path} cannot go into the unit's filesystem: names are at most ${nameMax} bytes.`,
        );
      const last = i === parts.length - 1;
      const existing = dir.children.get(part);
      if (last) {
        if (existing)
          throw new Failure('validation', `${file.path} is given twice (or is also a folder) in the image.`);
        dir.children.set(part, {
          kind: 'file',
          name: part,
          nameBytes: nameBytes(part),
          content: file.content,
          blocks: [],
        });
      } else if (!existing) {
        const sub = newDir(part);
        dir.children.set(part, sub);
        dir = sub;
      } else if (existing.kind === 'dir') dir = existing;
      else throw new Failure('validation', `${file.path}: ${part} is a file, not a folder.`);
    });
  }
  const order = (dir: DirNode) => {
    dir.order = [...dir.children.values()].sort(compareNames);
    for (const node of dir.order) if (node.kind === 'dir') order(node);
  };
  order(root);
  return root;
}

const sorted = (dir: DirNode) => dir.order;

function entryBytes(node: FileNode | DirNode, inlineMax: number): number {
  const name = 4 + node.nameBytes.length;
  if (node.kind === 'dir') return name + 4 + 8;
  return name + 4 + (node.content.length <= inlineMax ? node.content.length : 8);
}

/** Splits a directory's entries over pairs so each stays under half a block (room for the unit to append). */
function chunk(dir: DirNode, isRoot: boolean, g: Geometry, inlineMax: number): void {
  // Revision, tail, FCRC and CRC with their worst padding, and the superblock in the root's first pair.
  const fixed = 4 + 12 + 12 + 8 + g.progSize;
  const budget = Math.floor(g.blockSize / 2);
  let current: Array<FileNode | DirNode> = [];
  let used = fixed + (isRoot ? 12 + 28 : 0);
  for (const node of sorted(dir)) {
    const size = entryBytes(node, inlineMax);
    if (current.length > 0 && (used + size > budget || current.length >= NO_ID - 1)) {
      dir.chunks.push(current);
      current = [];
      used = fixed;
    }
    if (fixed + size > g.blockSize - 4)
      throw new Failure('validation', `${node.name} does not fit in a metadata block.`);
    current.push(node);
    used += size;
  }
  dir.chunks.push(current);
}

/** The FCRC of one erased program block, per program size (the same for every commit). */
const erasedCrc = new Map<number, number>();
function erasedProgCrc(progSize: number): number {
  let crc = erasedCrc.get(progSize);
  if (crc === undefined) {
    crc = lfsCrc(0xffff_ffff, Buffer.alloc(progSize, 0xff));
    erasedCrc.set(progSize, crc);
  }
  return crc;
}

/** One commit, written in place into its block of the (already erased) image. */
class Commit {
  private off = 4;
  private ptag = 0xffff_ffff;

  constructor(private readonly buf: Buffer) {
    buf.writeUInt32LE(REVISION, 0);
  }

  /** Writes a tag's header; the caller's data goes at the returned offset. */
  private head(type3: number, id: number, size: number): number {
    const tag = mkTag(type3, id, size);
    if (this.off + 4 + size > this.buf.length)
      throw new Failure('validation', 'A directory of the image does not fit in its metadata block.');
    this.buf.writeUInt32BE((tag ^ this.ptag) >>> 0, this.off);
    const at = this.off + 4;
    this.off = at + size;
    this.ptag = tag;
    return at;
  }

  tag(type3: number, id: number, data: Uint8Array): void {
    this.buf.set(data, this.head(type3, id, data.length));
  }

  /** A tag whose data is little-endian 32-bit words. */
  words(type3: number, id: number, ...values: number[]): void {
    let at = this.head(type3, id, 4 * values.length);
    for (const v of values) {
      this.buf.writeUInt32LE(v >>> 0, at);
      at += 4;
    }
  }

  /** Ends the commit: FCRC of the erased bytes that follow (when there is room), then the CRC tag. */
  finish(progSize: number): void {
    const crcAt = (end: number) => Math.ceil((end + 8) / progSize) * progSize;
    let end = crcAt(this.off + 12);
    if (end + progSize <= this.buf.length) this.words(TYPE.fcrc, NO_ID, progSize, erasedProgCrc(progSize));
    else end = crcAt(this.off);
    if (end > this.buf.length) throw new Failure('validation', 'A metadata block of the image overflowed.');
    const size = end - this.off - 4;
    const tag = mkTag(TYPE.ccrc, NO_ID, size);
    this.buf.writeUInt32BE((tag ^ this.ptag) >>> 0, this.off);
    const crc = lfsCrc(0xffff_ffff, this.buf.subarray(0, this.off + 4));
    this.buf.writeUInt32LE(crc, this.off + 4);
  }
}

/** Builds the image. Throws a Failure when the files do not fit the partition. */
export function buildLittleFs(files: readonly ImageFile[], options: ImageOptions): BuiltImage {
  const g = options;
  const inlineMax = options.inlineMax ?? Math.min(512, Math.floor(g.blockSize / 8));
  const root = buildTree(files, g.nameMax);

  // Directories in depth-first name order; the order of the threaded tail list too.
  const dirs: DirNode[] = [];
  const visit = (dir: DirNode) => {
    dirs.push(dir);
    for (const node of sorted(dir)) if (node.kind === 'dir') visit(node);
  };
  visit(root);
  dirs.forEach((d) => chunk(d, d === root, g, inlineMax));

  let next = 0;
  const blocksNeeded =
    dirs.reduce((n, d) => n + 2 * d.chunks.length, 0) +
    dirs.reduce(
      (n, d) =>
        n +
        [...d.children.values()].reduce(
          (m, c) =>
            m +
            (c.kind === 'file' && c.content.length > inlineMax
              ? ctzBlockCount(g.blockSize, c.content.length)
              : 0),
          0,
        ),
      0,
    );
  if (blocksNeeded > g.blockCount)
    throw new Failure(
      'validation',
      `The unit's files need ${blocksNeeded} blocks of ${g.blockSize} bytes but its storage partition has ${g.blockCount}: make the partition larger or the files smaller.`,
    );
  for (const d of dirs) for (let i = 0; i < d.chunks.length; i++) d.pairs.push([next++, next++]);
  for (const d of dirs)
    for (const node of sorted(d))
      if (node.kind === 'file' && node.content.length > inlineMax)
        for (let i = 0; i < ctzBlockCount(g.blockSize, node.content.length); i++) node.blocks.push(next++);

  // Only the used blocks are built, in one erased buffer: the rest of the partition is never written.
  const image = Buffer.allocUnsafe(g.blockSize * next).fill(0xff);
  const allPairs = dirs.flatMap((d) => d.pairs.map((pair, i) => ({ dir: d, pair, index: i })));
  allPairs.forEach(({ dir, pair, index }, n) => {
    const at = pair[0] * g.blockSize;
    const commit = new Commit(image.subarray(at, at + g.blockSize));
    let id = 0;
    if (dir === root && index === 0) {
      commit.tag(TYPE.superblock, 0, MAGIC_BYTES);
      commit.words(
        TYPE.inlineStruct,
        0,
        DISK_VERSION,
        g.blockSize,
        g.blockCount,
        g.nameMax,
        FILE_MAX,
        ATTR_MAX,
      );
      id = 1;
    }
    for (const node of dir.chunks[index]!) {
      commit.tag(node.kind === 'dir' ? TYPE.dir : TYPE.reg, id, node.nameBytes);
      if (node.kind === 'dir') commit.words(TYPE.dirStruct, id, ...node.pairs[0]!);
      else if (node.content.length <= inlineMax) commit.tag(TYPE.inlineStruct, id, node.content);
      else commit.words(TYPE.ctzStruct, id, node.blocks[node.blocks.length - 1]!, node.content.length);
      id += 1;
    }
    const following = allPairs[n + 1];
    if (following)
      commit.words(following.dir === dir ? TYPE.hardTail : TYPE.softTail, NO_ID, ...following.pair);
    commit.finish(g.progSize);
  });

  for (const d of dirs)
    for (const node of d.children.values()) {
      if (node.kind !== 'file' || node.blocks.length === 0) continue;
      let pos = 0;
      node.blocks.forEach((block, i) => {
        let at = block * g.blockSize;
        if (i > 0)
          for (let k = 0; k <= ctz(i); k++) {
            image.writeUInt32LE(node.blocks[i - 2 ** k]!, at);
            at += 4;
          }
        const take = Math.min(ctzCapacity(g.blockSize, i), node.content.length - pos);
        image.set(node.content.subarray(pos, pos + take), at);
        pos += take;
      });
    }
  return { image, usedBytes: next * g.blockSize, usedBlocks: next };
}

/** The whole partition (blockCount * blockSize bytes), unused blocks erased: what an offline programmer flashes. */
export function partitionImage(
  built: BuiltImage,
  geometry: Pick<Geometry, 'blockSize' | 'blockCount'>,
): Buffer {
  const out = Buffer.alloc(geometry.blockSize * geometry.blockCount, 0xff);
  built.image.copy(out, 0);
  return out;
}
