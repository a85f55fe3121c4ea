import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeviceStoreService } from '../../../../electron/core/handlers/devstore';
import { createPortLister } from '../../../../electron/core/serial/ports';
import { createTestStation } from '../../../support/station';
import { makeTempDir } from '../../../support/tempDir';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const coreDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../electron/core');

describe('the device-store handler', () => {
  it("lists serial ports through the station's port lister (sysfs first, the OS list filling names)", async () => {
    const station = createTestStation();
    cleanups.push(() => station.cleanup());
    const sys = makeTempDir();
    cleanups.push(sys.cleanup);
    // One USB serial adapter in a fake /sys; the OS list also names a port sysfs does not have.
    const usb = path.join(sys.dir, 'devices', 'pci0', 'usb1', '1-1');
    fs.mkdirSync(path.join(usb, '1-1:1.0', 'ttyUSB0'), { recursive: true });
    for (const [k, v] of Object.entries({ idVendor: '10c4', idProduct: 'ea60', serial: '0001' }))
      fs.writeFileSync(path.join(usb, k), `${v}\n`);
    fs.mkdirSync(path.join(sys.dir, 'class', 'tty', 'ttyUSB0'), { recursive: true });
    fs.symlinkSync(
      path.join(usb, '1-1:1.0', 'ttyUSB0'),
      path.join(sys.dir, 'class', 'tty', 'ttyUSB0', 'device'),
    );
    const ports = createPortLister({
      sysRoot: sys.dir,
      listFromOs: () =>
        Promise.resolve([
          { path: '/dev/ttyUSB0', manufacturer: 'Silicon Labs' },
          { path: '/dev/ttyGONE', manufacturer: 'Nobody' },
        ]),
    });
    const service = createDeviceStoreService({
      store: station.store,
      sessions: station.deviceStores,
      clock: { now: () => new Date() },
      newId: () => 'id',
      ports,
    });
    expect(await service.listSerialPorts(undefined)).toEqual([
      { path: '/dev/ttyUSB0', manufacturer: 'Silicon Labs', serialNumber: '0001' },
    ]);
  });

  it('opens serial ports in one module: serial/link.ts (and the ESP32 bootloader shim, which drives DTR/RTS)', () => {
    const users: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name)) {
          const text = fs.readFileSync(file, 'utf8');
          // A value import of serialport (types are fine): static or dynamic.
          if (/^import (?!type )[^;]*from 'serialport'|import\('serialport'\)/m.test(text))
            users.push(path.relative(coreDir, file));
        }
      }
    };
    walk(coreDir);
    expect(users.sort()).toEqual(['serial/link.ts', 'serial/ports.ts', 'transport/esp32/webSerial.ts']);
  });
});
