import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortLister } from '../../../../electron/core/serial/ports';
import { resolveSlots } from '../../../../electron/core/serial/slots';
import { createPortWatcher } from '../../../../electron/core/serial/watch';
import type { SlotBinding } from '../../../../electron/shared/contract';
import { makeTempDir } from '../../../support/tempDir';

/** A fake /sys shaped like Linux's: class/tty/<name>/device -> the device directory. */
function fakeSys(root: string) {
  const add = (
    name: string,
    deviceRel: string | null,
    usb?: { rel: string; attrs: Record<string, string> },
  ) => {
    const classDir = path.join(root, 'class', 'tty', name);
    fs.mkdirSync(classDir, { recursive: true });
    if (usb) {
      const usbDir = path.join(root, 'devices', usb.rel);
      fs.mkdirSync(usbDir, { recursive: true });
      for (const [k, v] of Object.entries(usb.attrs)) fs.writeFileSync(path.join(usbDir, k), `${v}\n`);
    }
    if (deviceRel) {
      const dev = path.join(root, 'devices', deviceRel);
      fs.mkdirSync(dev, { recursive: true });
      fs.symlinkSync(dev, path.join(classDir, 'device'));
    }
  };
  const remove = (name: string) => fs.rmSync(path.join(root, 'class', 'tty', name), { recursive: true });
  return { add, remove };
}

const cp2102 = {
  idVendor: '10C4',
  idProduct: 'ea60',
  serial: '0001',
  manufacturer: 'Silicon Labs',
  product: 'CP2102',
};

describe('serial ports', () => {
  const temps: Array<() => void> = [];
  afterEach(() => temps.splice(0).forEach((c) => c()));
  function sys() {
    const t = makeTempDir();
    temps.push(t.cleanup);
    fs.mkdirSync(path.join(t.dir, 'class', 'tty'), { recursive: true });
    return { root: t.dir, ...fakeSys(t.dir) };
  }

  it('lists USB serial ports with VID/PID, serial, manufacturer and hub location; skips consoles and 8250 placeholders', async () => {
    const s = sys();
    s.add('tty0', null);
    s.add('ttyS3', 'platform/serial8250');
    s.add('ttyS0', 'pnp0/00:00');
    s.add('ttyUSB0', 'pci0/usb1/1-1/1-1.2/1-1.2:1.0/ttyUSB0', { rel: 'pci0/usb1/1-1/1-1.2', attrs: cp2102 });
    s.add('ttyACM0', 'pci0/usb1/1-1/1-1.4/1-1.4:1.0', {
      rel: 'pci0/usb1/1-1/1-1.4',
      attrs: { idVendor: '2e8a', idProduct: '000a' },
    });
    const lister = createPortLister({ sysRoot: s.root, listFromOs: async () => [] });
    const { ports, warnings } = await lister.list();
    expect(warnings).toEqual([]);
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0']);
    expect(ports[2]).toEqual({
      path: '/dev/ttyUSB0',
      vendorId: '10c4',
      productId: 'ea60',
      serialNumber: '0001',
      manufacturer: 'Silicon Labs',
      product: 'CP2102',
      location: '1-1.2',
    });
    expect(ports[0]).toMatchObject({ location: '1-1.4', vendorId: '2e8a', serialNumber: null });
  });

  it('says udevadm is missing instead of throwing', async () => {
    const s = sys();
    s.add('ttyUSB0', 'pci0/usb1/1-3/1-3:1.0/ttyUSB0', { rel: 'pci0/usb1/1-3', attrs: cp2102 });
    const lister = createPortLister({
      sysRoot: s.root,
      listFromOs: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    });
    const report = await lister.list();
    expect(report.ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
    expect(report.warnings[0]).toMatch(/udevadm is missing.*install the "udev" package/);
  });

  it('with the real OS lister and no udevadm on the PATH, still lists and says what is missing', async () => {
    const s = sys();
    s.add('ttyUSB0', 'pci0/usb1/1-3/1-3:1.0/ttyUSB0', { rel: 'pci0/usb1/1-3', attrs: cp2102 });
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const report = await createPortLister({ sysRoot: s.root }).list();
      expect(report.ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0']);
      expect(report.warnings.join(' ')).toMatch(/udevadm is missing/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('uses the OS list where there is no sysfs', async () => {
    const lister = createPortLister({
      sysRoot: '/nonexistent-sys',
      listFromOs: async () => [
        { path: 'COM3', vendorId: '0403', productId: '6001', locationId: 'Port_#0002.Hub_#0001' },
      ],
    });
    expect((await lister.list()).ports).toEqual([
      expect.objectContaining({ path: 'COM3', vendorId: '0403', location: 'Port_#0002.Hub_#0001' }),
    ]);
  });

  it('the watcher reports plug and unplug', async () => {
    const s = sys();
    const lister = createPortLister({ sysRoot: s.root, listFromOs: async () => [] });
    const events: unknown[] = [];
    const watcher = createPortWatcher({
      list: () => lister.listFast(),
      onChange: (e) => events.push(e),
      intervalMs: 60_000,
    });
    try {
      expect(await watcher.poll()).toBeNull();
      s.add('ttyUSB0', 'pci0/usb1/1-1/1-1.2/1-1.2:1.0/ttyUSB0', {
        rel: 'pci0/usb1/1-1/1-1.2',
        attrs: cp2102,
      });
      expect(await watcher.poll()).toMatchObject({ added: ['/dev/ttyUSB0'], removed: [] });
      expect(await watcher.poll()).toBeNull();
      s.remove('ttyUSB0');
      expect(await watcher.poll()).toMatchObject({ added: [], removed: ['/dev/ttyUSB0'], ports: [] });
      expect(events).toHaveLength(2);
    } finally {
      watcher.stop();
    }
  });

  it('slots keep their identity when device names reshuffle', async () => {
    const s = sys();
    const usb = (name: string, loc: string, serial: string) =>
      s.add(name, `pci0/usb1/1-1/${loc}/${loc}:1.0/${name}`, {
        rel: `pci0/usb1/1-1/${loc}`,
        attrs: { ...cp2102, serial },
      });
    usb('ttyUSB0', '1-1.1', 'AAA');
    usb('ttyUSB1', '1-1.2', 'BBB');
    const bindings: SlotBinding[] = [
      { slot: 2, match: { kind: 'location', location: '1-1.2' } },
      { slot: 1, match: { kind: 'usb', vendorId: '10c4', serialNumber: 'AAA' } },
      { slot: 3, match: { kind: 'path', path: '/tmp/pty-station' } },
      { slot: 4, match: { kind: 'usb', vendorId: '10C4' } },
    ];
    const lister = createPortLister({ sysRoot: s.root, listFromOs: async () => [] });
    let slots = resolveSlots(bindings, (await lister.list()).ports);
    expect(slots.map((r) => r.path)).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1', '/tmp/pty-station', null]);
    expect(slots[3]!.problem).toMatch(/Slot 4: 2 ports match VID 10C4/);

    // Replug in the other order: the kernel hands out the names the other way round.
    s.remove('ttyUSB0');
    s.remove('ttyUSB1');
    fs.rmSync(path.join(s.root, 'devices'), { recursive: true });
    usb('ttyUSB0', '1-1.2', 'BBB');
    usb('ttyUSB1', '1-1.1', 'AAA');
    slots = resolveSlots(bindings, (await lister.list()).ports);
    expect(slots.slice(0, 2).map((r) => r.path)).toEqual(['/dev/ttyUSB1', '/dev/ttyUSB0']);

    s.remove('ttyUSB0');
    slots = resolveSlots(bindings, (await lister.list()).ports);
    expect(slots[1]).toMatchObject({
      path: null,
      problem: 'Slot 2: nothing is plugged in at USB location 1-1.2. Check the cable.',
    });
  });
});
