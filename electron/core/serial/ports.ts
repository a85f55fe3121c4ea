import fs from 'node:fs';
import path from 'node:path';
import type { PortListReport, SerialPortReport } from '../../shared/contract';

/** What the OS-level lister (serialport's `SerialPort.list`, udev on Linux) gives for a port. */
export interface OsPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  locationId?: string | undefined;
}

export interface PortListerDeps {
  /** `/sys` on Linux; absent or missing elsewhere. */
  sysRoot?: string;
  /** Defaults to serialport's `SerialPort.list()`; throws on Linux when `udevadm` is missing. */
  listFromOs?: () => Promise<OsPortInfo[]>;
}

export interface PortLister {
  list(): Promise<PortListReport>;
  /** Linux only: the sysfs listing without asking udev (cheap enough to poll). */
  listFast(): Promise<PortListReport>;
}

function readAttr(dir: string, name: string): string | null {
  try {
    const value = fs.readFileSync(path.join(dir, name), 'utf8').trim();
    return value === '' ? null : value;
  } catch {
    return null;
  }
}

/** Walks up from a tty's device directory to the USB device that holds idVendor (if any). */
function usbAncestor(deviceDir: string): string | null {
  let dir = deviceDir;
  for (let i = 0; i < 6 && dir !== path.dirname(dir); i++) {
    if (fs.existsSync(path.join(dir, 'idVendor'))) return dir;
    dir = path.dirname(dir);
  }
  return null;
}

function emptyPort(devPath: string): SerialPortReport {
  return {
    path: devPath,
    vendorId: null,
    productId: null,
    serialNumber: null,
    manufacturer: null,
    product: null,
    location: null,
  };
}

/** Serial ports from /sys/class/tty: every tty with a device behind it, except 8250 placeholders. */
export function listSysfs(sysRoot: string): SerialPortReport[] {
  const classDir = path.join(sysRoot, 'class', 'tty');
  const ports: SerialPortReport[] = [];
  for (const name of fs.readdirSync(classDir).sort()) {
    const link = path.join(classDir, name, 'device');
    let deviceDir: string;
    try {
      deviceDir = fs.realpathSync(link);
    } catch {
      continue; // virtual consoles and ptys have no device
    }
    if (path.basename(deviceDir) === 'serial8250') continue; // legacy ttyS placeholders
    const port = emptyPort(`/dev/${name}`);
    const usb = usbAncestor(deviceDir);
    if (usb) {
      port.vendorId = readAttr(usb, 'idVendor')?.toLowerCase() ?? null;
      port.productId = readAttr(usb, 'idProduct')?.toLowerCase() ?? null;
      port.serialNumber = readAttr(usb, 'serial');
      port.manufacturer = readAttr(usb, 'manufacturer');
      port.product = readAttr(usb, 'product');
      port.location = path.basename(usb);
    }
    ports.push(port);
  }
  return ports;
}

async function defaultListFromOs(): Promise<OsPortInfo[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}

function whatIsMissing(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/udevadm|ENOENT/i.test(text))
    return `udevadm is missing, so port names from udev are not shown (install the "udev" package). Detail: ${text}`;
  return `The operating system's port list failed: ${text}`;
}

function merge(base: SerialPortReport[], fromOs: OsPortInfo[]): SerialPortReport[] {
  const byPath = new Map(base.map((p) => [p.path, { ...p }]));
  for (const os of fromOs) {
    const port = byPath.get(os.path) ?? emptyPort(os.path);
    port.vendorId ??= os.vendorId?.toLowerCase() ?? null;
    port.productId ??= os.productId?.toLowerCase() ?? null;
    port.serialNumber ??= os.serialNumber ?? null;
    port.manufacturer ??= os.manufacturer ?? null;
    port.location ??= os.locationId ?? null;
    byPath.set(os.path, port);
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export function createPortLister(deps: PortListerDeps = {}): PortLister {
  const sysRoot = deps.sysRoot ?? '/sys';
  const listFromOs = deps.listFromOs ?? defaultListFromOs;
  const hasSysfs = () => fs.existsSync(path.join(sysRoot, 'class', 'tty'));

  async function fromOs(warnings: string[]): Promise<OsPortInfo[]> {
    try {
      return await listFromOs();
    } catch (error) {
      warnings.push(whatIsMissing(error));
      return [];
    }
  }

  return {
    async list() {
      const warnings: string[] = [];
      const base = hasSysfs() ? listSysfs(sysRoot) : [];
      const os = await fromOs(warnings);
      // Under Linux sysfs is the truth; udev only fills names. Elsewhere the OS list is all we have.
      const known = new Set(base.map((p) => p.path));
      const extra = hasSysfs() ? os.filter((p) => known.has(p.path)) : os;
      return { ports: merge(base, extra), warnings };
    },
    async listFast() {
      if (hasSysfs()) return { ports: listSysfs(sysRoot), warnings: [] };
      return this.list();
    },
  };
}
