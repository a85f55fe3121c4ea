/**
 * Reading a file someone pointed at (a copied device.db, a profile, a PEM, a passphrase file):
 * regular files only, and never more than the bound. `/dev/zero`, a FIFO or a 4 GiB file is refused
 * at once with a sentence that says why, instead of a read that never ends.
 */
import fs from 'node:fs';
import { Failure } from './failure';

export const MiB = 1024 * 1024;

export interface BoundedReadOptions {
  /** What the file is, for messages: "device database", "profile". */
  what: string;
  maxBytes: number;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

const size = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

export function readBoundedFile(file: string, options: BoundedReadOptions): Buffer {
  const { what, maxBytes } = options;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang before we can look at it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new Failure(
      'not-found',
      `Cannot read the ${what} ${file}: check the path and that the file is there.`,
      {
        detail: (error as Error).message,
        cause: error,
      },
    );
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new Failure(
        'validation',
        `${file} is ${kindOf(stat)}, not a file: give the path of the ${what}.`,
      );
    if (stat.size > maxBytes)
      throw new Failure(
        'validation',
        `The ${what} ${file} is ${size(stat.size)}; Lineside reads at most ${size(maxBytes)} here: check it is the right file.`,
      );
    // Read what is there, one byte past the bound at most (a file growing while we read it).
    const out = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const n = fs.readSync(fd, out, got, out.length - got, got);
      if (n === 0) break;
      got += n;
      if (got === out.length) break;
    }
    if (got > maxBytes)
      throw new Failure(
        'validation',
        `The ${what} ${file} grew past ${size(maxBytes)} while it was read: check it is the right file.`,
      );
    return out.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

export function readBoundedText(file: string, options: BoundedReadOptions): string {
  return readBoundedFile(file, options).toString('utf8');
}
