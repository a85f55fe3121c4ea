import type { DiagnosticsOps } from '../../shared/contract';
import type { Clock } from '../clock';
import { checkConnectivity } from '../diagnostics/connectivity';
import { inspectIdentity, readIdentityFiles, type IdentityFiles } from '../diagnostics/identity';
import { Failure } from '../failure';
import type { Store } from '../store';
import { readUnitIdentity, type UnitIdentityFiles } from '../diagnostics/unitIdentity';
import { closeUnitSession, openUnitSession, type UnitSessionOpeners } from '../transport/unitSession';
import { pemInput } from '../pemInput';
import { whileOpen } from '../cancel';
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
  /** The transports that open a unit on a port (tests pass their own). */
  openers?: UnitSessionOpeners;
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
      const unit = await openUnitSession(req, { openers: deps.openers, signal });
      const files: UnitIdentityFiles = await whileOpen(
        signal,
        () => closeUnitSession(unit),
        async () =>
          unit.kind === 'esp32'
            ? readUnitIdentity({ kind: 'esp32', fs: await unit.session.mountStorage() })
            : unit.kind === 'framed'
              ? readUnitIdentity({ kind: 'framed', framed: unit.session })
              : readUnitIdentity({ kind: 'shell', shell: unit.session, deviceDir: unit.settings.deviceDir }),
      );
      if (
        unit.kind !== 'esp32' &&
        files.deviceJson5 === null &&
        files.provisionJson5 === null &&
        files.certificatePem === null
      )
        throw new Failure(
          'not-found',
          `The unit has no identity files under ${unit.settings.deviceDir || 'its root'}: check the device directory.`,
          { field: 'deviceDir' },
        );
      return inspectIdentity(files, {
        now: clock.now(),
        ...(files.deviceTime ? { deviceTime: files.deviceTime } : {}),
        stationUnit: (id) => store.units.get(id),
        stationFingerprint: (id) => recordedFingerprint(store, id),
      });
    },
    // A page that goes away ends the check at once (its sockets closed).
    checkConnectivity(req, call) {
      return checkConnectivity({
        ...(call?.signal ? { signal: call.signal } : {}),
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
