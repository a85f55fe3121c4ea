/**
 * The engineer's unlock PIN, kept only as a slow scrypt hash (with its own salt and cost), so a
 * copied station database does not give the PIN away to a quick guessing loop.
 */
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RandomBytes } from '../clock';

export interface PinHash {
  algorithm: 'scrypt';
  /** Cost parameters, stored with the hash so they can be raised later without breaking old PINs. */
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

/** About 100 ms and 32 MiB per try on a station PC: slow for a guessing loop, quick for a person. */
export const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(pin: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(pin.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPin(
  pin: string,
  randomBytes: RandomBytes,
  cost: { N: number; r: number; p: number } = DEFAULT_COST,
): Promise<PinHash> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(pin, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
