/**
 * The unit's state image: the profile's shared state files plus the unit's own files
 * (config/device.json5, certificates, provision.json5: the same files the shell transport writes),
 * as a LittleFS image with ESP-IDF's parameters for the storage partition. Deterministic, so a
 * station that crashed after writing can rebuild the same bytes and verify by MD5 without writing.
 */
import crypto from 'node:crypto';
import { buildLittleFs, espGeometry, type BuiltImage } from '../littlefs';
import type { DeviceFile } from '../transport/types';

export interface UnitImage extends BuiltImage {
  /** What goes to the unit: the used blocks only (LittleFS erases a block when it allocates it). */
  payload: Buffer;
  md5: string;
  files: Array<{ path: string; content: Buffer }>;
}

export function buildUnitImage(
  stateFiles: ReadonlyArray<{ path: string; content: Buffer }>,
  unitFiles: readonly Pick<DeviceFile, 'path' | 'content'>[],
  partitionSize: number,
): UnitImage {
  const byPath = new Map<string, Buffer>();
  for (const f of stateFiles) byPath.set(f.path, f.content);
  // The unit's own files win over a shared file of the same name (a placeholder device.json5).
  for (const f of unitFiles) byPath.set(f.path.replace(/^\/+/, ''), f.content);
  const files = [...byPath].map(([p, content]) => ({ path: p, content }));
  const built = buildLittleFs(files, espGeometry(partitionSize));
  const payload = built.image;
  return { ...built, payload, md5: crypto.createHash('md5').update(payload).digest('hex'), files };
}
