/**
 * How much flash a compressed write should cover so the flasher stub erases it cheaply.
 *
 * The stub erases as it writes, from the region's start: a 64 KiB block at a time where the cursor
 * is 64 KiB-aligned and at least 16 sectors of the region remain, else one 4 KiB sector at a time
 * (stub_write_flash.c). A typical SPI NOR erases a 64 KiB block in about the time of three or four
 * sectors (W25Q32JV typical: 150 ms against 45 ms). So a region whose last 64 KiB holds many
 * sectors is erased faster as one block: a unit's state image of 12 sectors takes one 150 ms block
 * erase instead of 540 ms of sector erases. The region is then padded with 0xFF (erased flash, which
 * deflate turns into a few bytes): the blocks after the image are free in its LittleFS, which never
 * assumes a free block is erased and erases one when it allocates it.
 */
export const SECTOR = 0x1000;
export const ERASE_BLOCK = 0x10000;
/** Pad the tail up to a 64 KiB block when at least this many of its sectors would be erased one by one. */
export const BLOCK_ERASE_FROM_SECTORS = 8;

/**
 * The length to write at `offset` for `length` bytes of image, inside a partition of `room` bytes
 * from `offset`: `length` itself, or up to the next 64 KiB boundary when the stub would otherwise
 * erase at least BLOCK_ERASE_FROM_SECTORS sectors of that last block one by one and the
 * partition has room.
 */
export function eraseFriendlyLength(offset: number, length: number, room: number): number {
  const end = offset + length;
  const tailStart = Math.max(offset, Math.floor(end / ERASE_BLOCK) * ERASE_BLOCK);
  // Sector-erased only when the whole block is ours from an aligned start (else the stub was
  // erasing sectors there anyway, and rounding cannot turn them into a block erase).
  if (tailStart % ERASE_BLOCK !== 0) return length;
  const tailSectors = Math.ceil((end - tailStart) / SECTOR);
  if (tailSectors === 0 || tailSectors < BLOCK_ERASE_FROM_SECTORS) return length;
  const padded = tailStart + ERASE_BLOCK - offset;
  return padded <= room ? padded : length;
}
