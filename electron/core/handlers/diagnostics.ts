import type { DiagnosticsOps } from '../../shared/contract';
import type { Clock } from '../clock';
import { checkConnectivity } from '../diagnostics/connectivity';
import { inspectIdentity, readIdentityFiles, type IdentityFiles } from '../diagnostics/identity';
import { Failure } from '../failure';
import type { Store } from '../store';
import { readUnitIdentity } from '../diagnostics/unitIdentity';
import { esp32ReadSettings } from '../transport/settings';
import { openEsp32Session } from '../transport/esp32';
import { openFramedSession } from '../transport/framed';
import { openShellSession } from '../transport/shell';
import { pemInput } from '../pemInput';
import { openUnlessCancelled, whileOpen } from '../cancel';
import type { ServiceImpl } from './types';

const FINGERPRINT_FIELDS = ['fingerprint256', 'certificateFingerprint', 'fingerprint'];

/** The certificate fingerprint the station recorded for a unit, from its event log (newest wins). */
function recordedFingerprint(store: Store, claimId: string): string | null {
  const events = store.events.forUnit(claimId, 1000);
  for (let i = events.length - 1; i >= 0; i--) {
    const data = events[i]!.data;
    for (const f of FINGERPRINT_FIELDS) if (typeof data[f] === 'string') return data[f];
  }
  return null;
}

export function createDiagnosticsService(deps: {
  store: Store;
  clock: Clock;
  newId: () => string;
}): ServiceImpl<DiagnosticsOps> {
  const { store, clock } = deps;
  return {
    inspectIdentity(req) {
      const files: IdentityFiles = req.dir
        ? readIdentityFiles(req.dir)
        : {
            deviceJson5: req.deviceJson5 ?? null,
            provisionJson5: req.provisionJson5 ?? null,
            certificatePem: req.certificatePem ?? null,
            keyMode: null,
          };
      return inspectIdentity(files, {
        now: clock.now(),
        deviceTime: req.deviceTime,
        stationUnit: (id) => store.units.get(id),
        stationFingerprint: (id) => recordedFingerprint(store, id),
      });
    },
    // Waits on the unit: a window or page that goes away cancels it and frees the port.
    async readUnitIdentity(req, call) {
      const signal = call?.signal;
      if (req.transport === 'esp32') {
        const session = await openUnlessCancelled(signal, () =>
          openEsp32Session({
            path: req.path,
            settings: esp32ReadSettings({ reset: req.reset, timeoutMs: req.timeoutMs }),
            ...(signal ? { signal } : {}),
          }),
        );
        const esp = await whileOpen(
          signal,
          async () => {
            await session.resetToFirmware().catch(() => undefined);
            await session.close();
          },
          async () => readUnitIdentity({ kind: 'esp32', fs: await session.mountStorage() }),
        );
        return inspectIdentity(esp, {
          now: clock.now(),
          stationUnit: (id) => store.units.get(id),
          stationFingerprint: (id) => recordedFingerprint(store, id),
        });
      }
      const deviceDir = req.deviceDir ?? (req.transport === 'shell' ? '/opt/ioto/state' : '');
      const settings = {
        kind: req.transport as 'shell' | 'framed',
        baudRate: req.baudRate ?? 115200,
        deviceDir,
        timeoutMs: req.timeoutMs ?? 10_000,
        ...(req.login ? { login: req.login } : {}),
      };
      let files;
      const open = { path: req.path, settings, ...(signal ? { signal } : {}) };
      if (req.transport === 'framed') {
        const framed = await openUnlessCancelled(signal, () => openFramedSession(open));
        files = await whileOpen(
          signal,
          () => framed.close(),
          () => readUnitIdentity({ kind: 'framed', framed }),
        );
      } else {
        const shell = await openUnlessCancelled(signal, () => openShellSession(open));
        files = await whileOpen(
          signal,
          () => shell.close(),
          () => readUnitIdentity({ kind: 'shell', shell, deviceDir }),
        );
      }
      if (files.deviceJson5 === null && files.provisionJson5 === null && files.certificatePem === null)
        throw new Failure(
          'not-found',
          `The unit has no identity files under ${deviceDir || 'its root'}: check the device directory.`,
          { field: 'deviceDir' },
        );
      return inspectIdentity(files, {
        now: clock.now(),
        ...(files.deviceTime ? { deviceTime: files.deviceTime } : {}),
        stationUnit: (id) => store.units.get(id),
        stationFingerprint: (id) => recordedFingerprint(store, id),
      });
    },
    checkConnectivity(req) {
      return checkConnectivity({
        url: req.url,
        cert: pemInput(req.certPath, req.certPem, 'certificate'),
        key: pemInput(req.keyPath, req.keyPem, 'key'),
        ca: pemInput(req.caPath, req.caPem, 'CA certificate'),
        timeoutMs: req.timeoutMs ?? 10_000,
        clientId: `lineside-check-${deps.newId().slice(0, 8)}`,
      });
    },
  };
}
