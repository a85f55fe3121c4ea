/**
 * ESP-IDF's binary partition table (flashed at 0x8000, ioto-contracts.md §8): 32-byte entries with
 * magic 0x50AA (type, subtype, offset, size, 16-byte label, flags), closed by an MD5 entry (magic
 * 0xEBEB, then the MD5 of the entries before it), the rest 0xff.
 */
import crypto from 'node:crypto';
import { Failure } from '../../failure';

export const PARTITION_TABLE_OFFSET = 0x8000;
export const PARTITION_TABLE_SIZE = 0xc00;
const ENTRY_MAGIC = 0x50aa;
const MD5_MAGIC = 0xebeb;

export interface Partition {
  label: string;
  type: number;
  subtype: number;
  offset: number;
  size: number;
  flags: number;
}

export function parsePartitionTable(bytes: Uint8Array): Partition[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Partition[] = [];
  for (let at = 0; at + 32 <= buf.length; at += 32) {
    const magic = buf.readUInt16LE(at);
    if (magic === ENTRY_MAGIC) {
      const label = buf.subarray(at + 12, at + 28);
      const end = label.indexOf(0);
      out.push({
        type: buf[at + 2]!,
        subtype: buf[at + 3]!,
        offset: buf.readUInt32LE(at + 4),
        size: buf.readUInt32LE(at + 8),
        label: label.subarray(0, end < 0 ? 16 : end).toString('latin1'),
        flags: buf.readUInt32LE(at + 28),
      });
      continue;
    }
    if (magic === MD5_MAGIC) {
      const digest = crypto.createHash('md5').update(buf.subarray(0, at)).digest();
      if (!digest.equals(buf.subarray(at + 16, at + 32)))
        throw new Failure(
          'corrupt-file',
          "The unit's partition table at 0x8000 is damaged (its MD5 does not match): flash the product's firmware again.",
        );
      return out;
    }
    break;
  }
  if (out.length === 0)
    throw new Failure(
      'device-refused',
      'The unit has no partition table at 0x8000: flash the product firmware first, then provision it.',
    );
  return out;
}

export function buildPartitionTable(partitions: readonly Partition[]): Buffer {
  const buf = Buffer.alloc(PARTITION_TABLE_SIZE, 0xff);
  partitions.forEach((p, i) => {
    const at = 32 * i;
    buf.writeUInt16LE(ENTRY_MAGIC, at);
    buf[at + 2] = p.type;
    buf[at + 3] = p.subtype;
    buf.writeUInt32LE(p.offset, at + 4);
    buf.writeUInt32LE(p.size, at + 8);
    buf.fill(0, at + 12, at + 28);
    buf.write(p.label, at + 12, 16, 'latin1');
    buf.writeUInt32LE(p.flags, at + 28);
  });
  const at = 32 * partitions.length;
  buf.writeUInt16LE(MD5_MAGIC, at);
  crypto
    .createHash('md5')
    .update(buf.subarray(0, at))
    .digest()
    .copy(buf, at + 16);
  return buf;
}

/** The sample table of ioto-contracts.md §8. */
export const iotoSamplePartitions = (storageSize = 0x400000): Partition[] => [
  { label: 'nvs', type: 1, subtype: 0x02, offset: 0x9000, size: 0x6000, flags: 0 },
  { label: 'phy_init', type: 1, subtype: 0x01, offset: 0xf000, size: 0x1000, flags: 0 },
  { label: 'factory', type: 0, subtype: 0x00, offset: 0x10000, size: 0x200000, flags: 0 },
  { label: 'storage', type: 1, subtype: 0x83, offset: 0x210000, size: storageSize, flags: 0 },
];
