/**
 * A unit's identity files read over its serial port, for the identity checks: config/device.json5,
 * config/provision.json5 and certs/ioto.crt (relative to the device directory), over the shell
 * (with the key's file mode and the unit's clock, `date -u +%s`) or the framed protocol (GET).
 * A file the unit does not have is null; anything else that fails is the transport's failure.
 */
import { Failure, isFailure } from '../failure';
import type { MountedFs } from '../littlefs';
import type { FramedSession } from '../transport/framed';
import { shq, joinDevicePath } from '../transport/shell/commands';
import type { ShellSession } from '../transport/shell';
import type { IdentityFiles } from './identity';

export interface UnitIdentityFiles extends IdentityFiles {
  /** The unit's clock, ISO 8601, when it could be read (shell). */
  deviceTime: string | null;
}

async function orNull(read: () => Promise<Buffer>): Promise<string | null> {
  try {
    return (await read()).toString('utf8');
  } catch (error) {
    if (isFailure(error) && error.code === 'not-found') return null;
    throw error;
  }
}

export async function readUnitIdentity(
  session:
    | { kind: 'shell'; shell: ShellSession; deviceDir: string }
    | { kind: 'framed'; framed: FramedSession }
    | { kind: 'esp32'; fs: MountedFs },
): Promise<UnitIdentityFiles> {
  if (session.kind === 'esp32') {
    const { fs } = session;
    const read = async (p: string) => ((await fs.exists(p)) ? (await fs.readFile(p)).toString('utf8') : null);
    return {
      deviceJson5: await read('config/device.json5'),
      provisionJson5: await read('config/provision.json5'),
      certificatePem: await read('certs/ioto.crt'),
      keyMode: null,
      deviceTime: null,
    };
  }
  if (session.kind === 'framed') {
    const read = (p: string) => orNull(() => session.framed.readFile(p));
    return {
      deviceJson5: await read('config/device.json5'),
      provisionJson5: await read('config/provision.json5'),
      certificatePem: await read('certs/ioto.crt'),
      keyMode: null,
      deviceTime: null,
    };
  }
  const { shell, deviceDir } = session;
  const read = async (p: string) => {
    const there = await shell.exec(`test -f ${shq(joinDevicePath(deviceDir, p))}`, `looking for ${p}`);
    return there.status === 0 ? (await shell.readFile(p)).toString('utf8') : null;
  };
  const files = {
    deviceJson5: await read('config/device.json5'),
    provisionJson5: await read('config/provision.json5'),
    certificatePem: await read('certs/ioto.crt'),
  };
  const mode = await shell.exec(
    `stat -c %a ${shq(joinDevicePath(deviceDir, 'certs/ioto.key'))} 2>/dev/null`,
    'reading the key file mode',
  );
  const clock = await shell.exec('date -u +%s', "reading the unit's clock");
  const seconds = Number(clock.output.trim());
  if (clock.status === 0 && !Number.isFinite(seconds))
    throw new Failure('protocol', "The unit's clock could not be read.", {
      detail: clock.output.slice(0, 200),
    });
  return {
    ...files,
    keyMode:
      mode.status === 0 && /^[0-7]{3,4}$/.test(mode.output.trim()) ? parseInt(mode.output.trim(), 8) : null,
    deviceTime: clock.status === 0 ? new Date(seconds * 1000).toISOString() : null,
  };
}
