/**
 * LittleFS on-disk constants and tag helpers, from the littlefs project's SPEC.md (on-disk 2.1).
 * Tags are 32-bit big-endian: [valid:1][type3:11][id:10][size:10]; neighbouring tags are XORed,
 * the first with 0xffffffff. CRCs are CRC-32 (poly 0x04c11db7, reflected) seeded 0xffffffff and
 * not inverted at the end.
 */
import { crc32 } from 'node:zlib';

export const DISK_VERSION = 0x0002_0001;
export const MAGIC = 'littlefs';
export const NULL_BLOCK = 0xffff_ffff;
export const NO_ID = 0x3ff;
export const DELETED_SIZE = 0x3ff;
export const FILE_MAX = 2_147_483_647;
export const ATTR_MAX = 1022;

export const TYPE = {
  reg: 0x001,
  dir: 0x002,
  superblock: 0x0ff,
  dirStruct: 0x200,
  inlineStruct: 0x201,
  ctzStruct: 0x202,
  create: 0x401,
  delete: 0x4ff,
  softTail: 0x600,
  hardTail: 0x601,
  moveState: 0x7ff,
  ccrc: 0x500,
  fcrc: 0x5ff,
} as const;

/** The parameters ESP-IDF's esp_littlefs mounts with (ioto-contracts.md §8). */
export interface Geometry {
  blockSize: number;
  blockCount: number;
  nameMax: number;
  progSize: number;
}

export const espGeometry = (partitionSize: number): Geometry => ({
  blockSize: 4096,
  blockCount: Math.floor(partitionSize / 4096),
  nameMax: 64,
  progSize: 128,
});

export const mkTag = (type3: number, id: number, size: number): number =>
  ((type3 << 20) | (id << 10) | size) >>> 0;
export const tagType3 = (tag: number) => (tag >>> 20) & 0x7ff;
export const tagType1 = (tag: number) => (tag >>> 28) & 0x7;
export const tagChunk = (tag: number) => (tag >>> 20) & 0xff;
export const tagId = (tag: number) => (tag >>> 10) & 0x3ff;
export const tagSize = (tag: number) => tag & 0x3ff;
/** Bytes of data after the tag (a deleted tag has none). */
export const tagDataSize = (tag: number) => (tagSize(tag) === DELETED_SIZE ? 0 : tagSize(tag));
export const tagIsValid = (tag: number) => (tag & 0x8000_0000) === 0;

/** littlefs' CRC: standard reflected CRC-32 without the final inversion. */
export function lfsCrc(crc: number, data: Uint8Array): number {
  return (crc32(data, (crc ^ 0xffff_ffff) >>> 0) ^ 0xffff_ffff) >>> 0;
}

/** The number of trailing zero bits (CTZ skip-list: block i holds ctz(i)+1 back-pointers). */
export const ctz = (n: number) => 31 - Math.clz32(n & -n);

/** Data bytes block `index` of a CTZ skip-list can hold. */
export const ctzCapacity = (blockSize: number, index: number) =>
  index === 0 ? blockSize : blockSize - 4 * (ctz(index) + 1);

/** How many blocks a file of `size` bytes takes as a CTZ skip-list. */
export function ctzBlockCount(blockSize: number, size: number): number {
  let blocks = 0;
  let held = 0;
  while (held < size) {
    held += ctzCapacity(blockSize, blocks);
    blocks += 1;
  }
  return blocks;
}

/** Sequence comparison of revision counts (they may wrap). */
export const revisionAfter = (a: number, b: number) => ((a - b) | 0) > 0;
