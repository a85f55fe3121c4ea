/**
 * A real unit's file set, as the line writes it: device.json5 rendered from a factory profile, an
 * EC P-256 certificate signed by a CA and its key (made by openssl), and provision.json5 for a
 * pre-claimed unit. The serial and station benches use it instead of random bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { provisionFile } from '../electron/core/cloud/provision';
import { renderDeviceJson5 } from '../electron/core/device-config';
import { createProfileLibrary } from '../electron/core/profiles';
import type { DeviceFile } from '../electron/core/transport/types';
import { factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { makeCa, makeCert } from '../test/support/testCerts';

export function realUnitFiles(claimId = 'M72DANY8BZQ4TR'): DeviceFile[] {
  const temp = makeTempDir('lineside-bench-files-');
  try {
    const library = createProfileLibrary({
      factoryDir: factoryProfilesDir,
      stationDir: path.join(temp.dir, 'profiles'),
      entropyFloor: () => 50,
    });
    const loaded = library.getValid('thermostat-pro');
    const device = renderDeviceJson5(
      { name: loaded.name, hash: loaded.hash, profile: loaded.profile },
      { claimId, serial: 'TP200-004711', orderId: 'WO-2026-1121', created: '2026-11-21T10:00:00.000Z' },
    );
    const ca = makeCa(temp.dir, 'Factory CA');
    const leaf = makeCert(temp.dir, ca, 'unit', { cn: claimId });
    return [
      { path: 'config/device.json5', content: Buffer.from(device), mode: 0o644 },
      { path: 'certs/ioto.crt', content: fs.readFileSync(leaf.crt), mode: 0o644 },
      { path: 'certs/ioto.key', content: fs.readFileSync(leaf.key), mode: 0o600 },
      provisionFile(claimId, {
        registered: '2026-11-21T10:00:01.000Z',
        api: 'https://api.admin.embedthis.com/api',
        token: 'GmAC9QXnMy3F8dKqP2bRj7Tc',
        accountId: 'ACME-INDUSTRIES',
        cloud: '01JCLOUD8W4Q2V9N5T7XKZB3M6',
        cloudType: 'dedicated',
        cloudName: 'acme-eu',
        cloudRegion: 'eu-central-1',
        endpoint: 'a1b2c3d4e5f6g7-ats.iot.eu-central-1.amazonaws.com',
        port: 443,
      }),
    ];
  } finally {
    temp.cleanup();
  }
}
