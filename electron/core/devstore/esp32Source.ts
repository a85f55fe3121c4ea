/**
 * An ESP32 unit's Store, read-only, through its ROM bootloader: the storage partition is read on
 * demand (only the blocks the files use), mounted with the LittleFS reader, and
 * `/state/db/device.db` with its journal parsed like a copied file. The identity files
 * (config/device.json5, provision.json5, certs/ioto.crt) are read the same way. The unit is then
 * reset into its firmware and the port released, so the running agent is not harmed.
 */
import { Failure } from '../failure';
import type { Esp32Session } from '../transport/esp32';
import { openFileSource } from './fileSource';
import type { DeviceStoreSource } from './source';

export const ESP32_IDENTITY_FILES = [
  'config/device.json5',
  'config/provision.json5',
  'certs/ioto.crt',
] as const;

export interface Esp32StoreRead {
  source: DeviceStoreSource;
  /** The identity files the unit holds (missing ones left out). */
  identity: Record<string, Buffer>;
  files: Array<{ path: string; size: number }>;
}

export async function openEsp32StoreSource(options: {
  session: Esp32Session;
  label: string;
}): Promise<Esp32StoreRead> {
  const { session } = options;
  try {
    const fs = await session.mountStorage();
    const files = await fs.files();
    if (!(await fs.exists('db/device.db')))
      throw new Failure(
        'not-found',
        "The unit's storage has no db/device.db yet: the agent creates it on first boot; boot the unit once and read again.",
      );
    const db = await fs.readFile('db/device.db');
    const journal = (await fs.exists('db/device.db.jnl')) ? await fs.readFile('db/device.db.jnl') : null;
    const identity: Record<string, Buffer> = {};
    for (const p of ESP32_IDENTITY_FILES) if (await fs.exists(p)) identity[p] = await fs.readFile(p);
    const file = await openFileSource({ db, journal, label: 'db/device.db' });
    const source: DeviceStoreSource = {
      ...file,
      describe: () => ({ ...file.describe(), kind: 'esp32', label: `${options.label}: /state/db/device.db` }),
    };
    return { source, identity, files };
  } finally {
    await session.resetToFirmware().catch(() => undefined);
    await session.close();
  }
}
