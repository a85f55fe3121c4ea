import fs from 'node:fs';
import type { DiagnosticsOps } from '../../shared/contract';
import type { Clock } from '../clock';
import { checkConnectivity } from '../diagnostics/connectivity';
import { inspectIdentity, readIdentityFiles, type IdentityFiles } from '../diagnostics/identity';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

function pem(file: string | undefined, text: string | undefined, what: string): string | undefined {
  if (text) return text;
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Failure('not-found', `Cannot read the ${what} ${file}: check the path.`, {
      detail: (error as Error).message,
    });
  }
}

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
    checkConnectivity(req) {
      return checkConnectivity({
        url: req.url,
        cert: pem(req.certPath, req.certPem, 'certificate'),
        key: pem(req.keyPath, req.keyPem, 'key'),
        ca: pem(req.caPath, req.caPem, 'CA certificate'),
        timeoutMs: req.timeoutMs ?? 10_000,
        clientId: `lineside-check-${deps.newId().slice(0, 8)}`,
      });
    },
  };
}
