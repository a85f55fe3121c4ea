import { Failure } from '../../failure';
import type { Esp32Settings } from '../types';
import type { Partition } from './partitions';

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * The storage partition to write, from the unit's own table and the profile: refused in one
 * sentence when it is missing, too small for the image, or not where the profile says.
 */
export function chooseStoragePartition(
  table: readonly Partition[],
  wanted: Esp32Settings['partition'],
  needBytes = 0,
): { offset: number; size: number; label: string } {
  const found = table.find((p) => p.label === wanted.label);
  if (wanted.offset !== undefined && wanted.size !== undefined) {
    if (found && (found.offset !== wanted.offset || found.size !== wanted.size))
      throw new Failure(
        'validation',
        `The unit's "${wanted.label}" partition is at ${hex(found.offset)} (${hex(found.size)} bytes) but the profile says ${hex(wanted.offset)} (${hex(wanted.size)}): flash the product's firmware or fix the profile.`,
      );
    return check({ label: wanted.label, offset: wanted.offset, size: wanted.size }, needBytes);
  }
  if (!found)
    throw new Failure(
      'validation',
      `The unit has no "${wanted.label}" partition in its partition table: flash the Ioto firmware with its partitions.csv first.`,
    );
  if (found.type !== 1)
    throw new Failure(
      'validation',
      `The unit's "${wanted.label}" partition is not a data partition: flash the Ioto firmware with its partitions.csv first.`,
    );
  return check({ label: found.label, offset: found.offset, size: found.size }, needBytes);
}

function check(p: { label: string; offset: number; size: number }, needBytes: number) {
  if (p.size < 2 * 4096 || p.size < needBytes)
    throw new Failure(
      'validation',
      `The unit's "${p.label}" partition holds ${p.size} bytes but its files need ${needBytes}: flash firmware with a larger storage partition.`,
    );
  return p;
}
