/**
 * The production line's wiring: what a work order's unit becomes on the device, and what happens
 * after it verifies. It joins orders and profiles (device.json5, transport settings), certificates
 * (certs/ioto.crt + ioto.key), the cloud (provision.json5 for pre-claimed units, the outbox) and
 * labels for the station run. createServices passes these functions to createStation.
 */
import type { StartSerializeRequest, UnitSummary } from '../../shared/contract';
import type { Certificates } from '../certs';
import { certificatePolicySchema, defaultCertificatePolicy } from '../certs/policy';
import type { Clock } from '../clock';
import { buildRegistration, type Cloud } from '../cloud';
import { Failure } from '../failure';
import type { LabelProfileInput } from '../labels/fields';
import type { LabelPrinting } from '../labels/printing';
import type { OrderBook, ProfileVersion } from '../orders';
import type { Profile } from '../profiles';
import type { Secrets } from '../secrets';
import { openBuffer, type TextSealer } from '../secrets/sealedText';
import type { Store } from '../store';
import type { AfterVerified, RenderFiles } from '../station/runUnit';
import { resolveTransportSettings } from '../transport/settings';
import type { DeviceFile, TransportSettings } from '../transport/types';
import JSON5 from 'json5';
import path from 'node:path';
import { esp32Settings } from '../esp32/profile';

export interface LineDeps {
  store: Store;
  orders: OrderBook;
  cloud: Cloud;
  secrets: Secrets;
  sealer: TextSealer;
  labels: LabelPrinting;
  certs: Certificates;
  clock: Clock;
  /** The folder of the profile file with this name (an esp32 profile's state folder is beside it). */
  profileDir?: (name: string) => string;
}

export interface LineWiring {
  transportSettings(orderId: string): TransportSettings;
  /** Serials the order's units report before provisioning: the profile's placeholderSerials. */
  placeholderSerials(orderId: string): string[];
  renderFiles: RenderFiles;
  afterVerified: AfterVerified[];
  labelProfileFor(unit: UnitSummary): LabelProfileInput | null;
  /** The serialization service's order and product: as given, else the active order's. */
  serializeTarget(request: Pick<StartSerializeRequest, 'orderId' | 'productRef'>): {
    orderId: string;
    productRef: string;
  };
}

export const DEVICE_JSON5 = 'config/device.json5';
export const PROVISION_JSON5 = 'config/provision.json5';

export function createLineWiring(deps: LineDeps): LineWiring {
  const versions = new Map<string, ProfileVersion>();
  function versionOf(unit: Pick<UnitSummary, 'claimId' | 'profileHash'>): ProfileVersion {
    if (!unit.profileHash)
      throw new Failure('validation', `Unit ${unit.claimId} was not made from a profile: call the engineer.`);
    let v = versions.get(unit.profileHash);
    if (!v) {
      v = deps.orders.profileVersion(unit.profileHash);
      versions.set(unit.profileHash, v);
    }
    return v;
  }

  function certificatePolicy(profile: Profile) {
    if (!profile.certificate) return null;
    // The profile may set only what differs from the defaults (e.g. validityDays).
    const parsed = certificatePolicySchema.safeParse({ ...defaultCertificatePolicy, ...profile.certificate });
    if (!parsed.success)
      throw new Failure(
        'validation',
        "The profile's certificate section is not valid: fix it on the Profiles screen.",
        { detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') },
      );
    return parsed.data;
  }

  const productRef = (v: ProfileVersion) => deps.secrets.put(`product:${v.name}`, v.profile.product).ref;

  const printLabel: AfterVerified = async (unit) => {
    if (!versionOf(unit).profile.label?.template) return;
    await deps.labels.printUnit(unit.claimId);
  };

  /** The device.json5 exactly as the station wrote it (the journal keeps non-secret files). */
  function writtenDeviceJson(unit: UnitSummary): Record<string, unknown> {
    const content = deps.store.db
      .prepare('SELECT content FROM unit_files WHERE claim_id = ? AND path = ?')
      .pluck()
      .get(unit.claimId, DEVICE_JSON5) as Buffer | null | undefined;
    const text = content
      ? openBuffer(deps.sealer, content).toString('utf8')
      : deps.orders.deviceJson5For(unit.claimId, { created: unit.updatedAt });
    return JSON5.parse(text) as Record<string, unknown>;
  }

  const registration = (unit: UnitSummary, v: ProfileVersion, deviceJson: Record<string, unknown>) =>
    buildRegistration({
      claimId: unit.claimId,
      orderId: unit.orderId,
      deviceJson,
      created: typeof deviceJson.created === 'string' ? deviceJson.created : unit.updatedAt,
      cloud: v.profile.cloud ?? null,
      productRef: productRef(v),
    });

  const register: AfterVerified = (unit) => {
    deps.cloud.enqueue(registration(unit, versionOf(unit), writtenDeviceJson(unit)));
  };

  /** A pre-claimed unit (the profile names account and cloud) gets provision.json5 with its files. */
  const preClaimed = (profile: Profile) => Boolean(profile.cloud?.account && profile.cloud?.cloud);

  /** A pre-claimed unit that passed without provision.json5 (the builder was not reachable) is reported. */
  const provisionCheck: AfterVerified = (unit) => {
    if (!preClaimed(versionOf(unit).profile)) return;
    const written = deps.store.db
      .prepare('SELECT 1 FROM unit_files WHERE claim_id = ? AND path = ?')
      .get(unit.claimId, PROVISION_JSON5);
    if (written) return;
    deps.store.events.append({
      kind: 'unit.provision-missing',
      claimId: unit.claimId,
      orderId: unit.orderId,
      data: { reason: 'the cloud builder did not answer "claimed" before the files were written' },
    });
    throw new Failure(
      'unavailable',
      `Unit ${unit.claimId} passed without provision.json5: the cloud builder could not be reached. When it answers, rework it (Rework unit, or lineside provision --order ${unit.orderId ?? 'ORDER'} --port P --rework ${unit.claimId}) to add it.`,
    );
  };

  return {
    transportSettings(orderId) {
      const order = deps.orders.getOrder(orderId);
      const version = deps.orders.profileVersion(order.profileHash);
      const profile = version.profile;
      const transport = profile.transport;
      // Host keys are made ahead while this unit connects and takes its files (certs/keyPool.ts).
      const policy = profile.certificate ? certificatePolicy(profile) : null;
      if (policy?.keySource === 'host') deps.certs.keys.warm(policy.keyType);
      const settings: TransportSettings = resolveTransportSettings(transport);
      if (settings.kind === 'esp32')
        settings.esp32 = esp32Settings(
          profile.esp32,
          deps.profileDir?.(version.name) ?? path.resolve('factory-profiles'),
        );
      return settings;
    },
    placeholderSerials(orderId) {
      const order = deps.orders.getOrder(orderId);
      return deps.orders.profileVersion(order.profileHash).profile.placeholderSerials ?? [];
    },
    async renderFiles(unit, context) {
      const v = versionOf(unit);
      const created = deps.clock.now().toISOString();
      const deviceText = deps.orders.deviceJson5For(unit.claimId, { created });
      const files: DeviceFile[] = [{ path: DEVICE_JSON5, content: Buffer.from(deviceText), mode: 0o644 }];
      // Registered before its files are rendered (idempotently: a unit already answered is not sent
      // again), so one pass writes device.json5, the certificate and provision.json5 together.
      if (preClaimed(v.profile) && context.session)
        await deps.cloud.registerNow(
          registration(unit, v, JSON5.parse(deviceText) as Record<string, unknown>),
        );
      const provision = deps.cloud.provisionFileFor(unit.claimId);
      if (provision) files.push(provision);
      const policy = certificatePolicy(v.profile);
      if (policy) {
        if (policy.keySource === 'device' && !context.session)
          throw new Failure(
            'device-refused',
            'This unit makes its own key: its certificate can only be issued while it is connected. Press Retry.',
          );
        // A host-made key needs no session (with one, a reworked unit's key is checked for reuse);
        // a device key is requested through it.
        const session = context.session ?? {};
        files.push(...(await deps.certs.certificateFilesFor({ claimId: unit.claimId, policy, session })));
      }
      return files;
    },
    afterVerified: [register, provisionCheck, printLabel],
    serializeTarget(request) {
      const orderId = request.orderId ?? deps.orders.getActiveOrderId();
      if (!orderId)
        throw new Failure(
          'validation',
          'No work order is active on this station: set one on the Work orders screen, or name one.',
          { field: 'orderId' },
        );
      if (request.productRef) return { orderId, productRef: request.productRef };
      const order = deps.orders.getOrder(orderId);
      return { orderId, productRef: productRef(deps.orders.profileVersion(order.profileHash)) };
    },
    labelProfileFor(unit) {
      if (!unit.profileHash) return null;
      const { profile } = versionOf(unit);
      return {
        product: profile.name,
        ...(profile.model ? { model: profile.model } : {}),
        ...(profile.label?.template ? { label: { template: profile.label.template } } : {}),
      };
    },
  };
}
