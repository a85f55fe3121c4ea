import type { IdPolicyReport, ProfileReport, ProfilesOps, ProfilesReport } from '../../shared/contract';
import type { Clock, RandomBytes } from '../clock';
import { maskToken, maskTokensIn, renderDeviceJson5 } from '../device-config/render';
import { createIdGenerator, entropyBits, type IdPolicy } from '../ids';
import { checkProfileText, type LoadedProfile, type ProfileLibrary } from '../profiles';
import type { Store } from '../store';
import { ENTROPY_FLOOR_KEY, readEntropyFloor } from '../settings';
import type { ServiceImpl } from './types';

function policyReport(ids: IdPolicy): IdPolicyReport {
  return {
    alphabet: ids.alphabet,
    length: ids.length,
    checkSymbol: ids.checkSymbol,
    entropyBits: entropyBits(ids),
  };
}

/** The renderer's view of a profile: never the product token in full. */
export function toProfileReport(p: LoadedProfile): ProfileReport {
  const token = p.profile?.product ?? /["']?product["']?\s*:\s*['"]([^'"]+)['"]/.exec(p.text)?.[1] ?? null;
  return {
    name: p.name,
    source: p.source,
    file: p.file,
    hash: p.hash,
    valid: p.profile !== null,
    problems: p.problems,
    productName: p.profile?.name ?? null,
    model: p.profile?.model ?? null,
    description: p.profile?.description ?? null,
    test: p.profile?.test ?? null,
    productMasked: p.profile ? maskToken(p.profile.product) : null,
    ids: p.profile ? policyReport(p.profile.ids) : null,
    text: maskTokensIn(p.text, token),
  };
}

export function createProfilesService(deps: {
  store: Store;
  profiles: ProfileLibrary;
  clock: Clock;
  randomBytes: RandomBytes;
}): ServiceImpl<ProfilesOps> {
  const { store, profiles } = deps;
  const report = (): ProfilesReport => ({
    profiles: profiles.list().map(toProfileReport),
    entropyFloor: readEntropyFloor(store),
  });
  return {
    listProfiles: report,
    checkProfile({ text, file }) {
      const check = checkProfileText(text, {
        file: file ?? 'profile.json5',
        entropyFloor: readEntropyFloor(store),
      });
      return {
        valid: check.profile !== null,
        hash: check.hash,
        problems: check.problems,
        ids: check.profile ? policyReport(check.profile.ids) : null,
      };
    },
    previewDeviceConfig({ profile, claimId, serial, orderId }) {
      const p = profiles.getValid(profile);
      const sample = {
        claimId: claimId ?? createIdGenerator(p.profile.ids, deps.randomBytes).next(),
        serial: serial ?? 'SN000001',
        orderId: orderId ?? 'WO-SAMPLE',
        created: deps.clock.now().toISOString(),
      };
      const text = renderDeviceJson5({ name: p.name, hash: p.hash, profile: p.profile }, sample);
      return {
        text: maskTokensIn(text, p.profile.product),
        claimId: sample.claimId,
        serial: sample.serial,
        orderId: sample.orderId,
      };
    },
    setEntropyFloor({ bits }) {
      store.transaction(() => {
        store.settings.set(ENTROPY_FLOOR_KEY, bits);
        store.events.append({ kind: 'settings.entropy-floor-changed', data: { bits } });
      });
      return report();
    },
  };
}
