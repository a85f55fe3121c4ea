import type { DevStoreOps, DeviceValueType } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure, isFailure } from '../failure';
import { openFileSource, readDatabaseFiles } from '../devstore/fileSource';
import { openMqttSource, type MqttStoreSource } from '../devstore/mqttSource';
import { openFramedStoreSource } from '../devstore/framedSource';
import { openShellStoreSource } from '../devstore/shellSource';
import { openEsp32StoreSource } from '../devstore/esp32Source';
import { selectRows, toCsv, toJson, toRow } from '../devstore/rows';
import type { DeviceStoreSessions } from '../devstore/sessions';
import { createPortLister, type PortLister } from '../serial/ports';
import type { Store } from '../store';
import { openUnitSession, type UnitSessionOpeners } from '../transport/unitSession';
import { pemInput } from '../pemInput';
import { keepOpenUnlessCancelled } from '../cancel';
import type { ClaimWatchOps } from './evaluator';
import type { ServiceImpl } from './types';
import { MIME } from '../../shared/mime';

/** The typed text as the value the device should hold. */
export function parseValue(text: string, type: DeviceValueType): unknown {
  if (type === 'string') return text;
  if (type === 'number') {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n))
      throw new Failure('validation', `"${text}" is not a number.`, { field: 'value' });
    return n;
  }
  if (type === 'boolean') {
    if (text.trim() === 'true') return true;
    if (text.trim() === 'false') return false;
    throw new Failure('validation', 'A true/false value must be "true" or "false".', { field: 'value' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Failure('validation', 'That is not valid JSON.', { field: 'value' });
  }
}

/** The device-store browser: a unit's Store from a file, over MQTT or on a serial port. */
export function createDeviceStoreService(deps: {
  store: Store;
  sessions: DeviceStoreSessions;
  clock: Clock;
  newId: () => string;
  /** Serial port listing (core/serial/ports.ts); default: this machine's. */
  ports?: PortLister;
  /** The transports that open a unit on a port (tests pass their own). */
  openers?: UnitSessionOpeners;
}): ServiceImpl<Omit<DevStoreOps, ClaimWatchOps>> {
  const { sessions, store } = deps;
  const ports = deps.ports ?? createPortLister();
  return {
    async openDeviceDatabase(req) {
      let files;
      if (req.dbBase64 !== undefined) {
        files = {
          // An empty device.db with a journal: the unit had only its journal (a journal-only database).
          db: req.dbBase64 === '' && req.journalBase64 ? null : Buffer.from(req.dbBase64, 'base64'),
          journal: req.journalBase64 ? Buffer.from(req.journalBase64, 'base64') : null,
          label: req.name ?? 'device.db',
        };
      } else if (req.dbPath) files = readDatabaseFiles(req.dbPath, req.journalPath);
      else throw new Failure('validation', 'Give the device.db file or its folder.', { field: 'dbPath' });
      return sessions.add(await openFileSource(files, { stream: req.stream === true }));
    },
    // Waits for the device; a window or page that goes away cancels it and leaves the broker.
    async openDeviceMqtt(req, call) {
      const source = await openMqttSource({
        ...(call?.signal ? { signal: call.signal } : {}),
        url: req.url,
        claimId: req.claimId,
        cert: pemInput(req.certPath, req.certPem, 'client certificate'),
        key: pemInput(req.keyPath, req.keyPem, 'client key'),
        ca: pemInput(req.caPath, req.caPem, 'CA certificate'),
        timeoutMs: req.timeoutMs ?? 30_000,
        clock: deps.clock,
        newId: deps.newId,
        ...(req.keys ? { keys: req.keys } : {}),
        ...(req.waitForDevice === false ? { waitForDevice: false } : {}),
      });
      return sessions.add(source);
    },
    // Waits on the unit while it opens: a window or page that goes away cancels it, freeing the port.
    async openDeviceSerial(req, call) {
      const signal = call?.signal;
      const unit = await openUnitSession(req, { openers: deps.openers, signal });
      const label = `${req.path} (${unit.kind === 'esp32' ? 'ESP32 over USB' : unit.kind})`;
      const source = await keepOpenUnlessCancelled(
        signal,
        () => unit.session.close(),
        async () =>
          unit.kind === 'esp32'
            ? (await openEsp32StoreSource({ session: unit.session, label })).source
            : unit.kind === 'framed'
              ? await openFramedStoreSource({ session: unit.session, label })
              : await openShellStoreSource({
                  session: unit.session,
                  deviceDir: unit.settings.deviceDir,
                  label,
                  ...(req.method ? { method: req.method } : {}),
                }),
      );
      return sessions.add(source);
    },
    listDeviceStores: () => sessions.list(),
    async closeDeviceStore({ sourceId }) {
      return { closed: await sessions.close(sourceId) };
    },
    async listDeviceItems(req) {
      const rows = selectRows(await sessions.get(req.sourceId).listItems(req.model), req);
      const offset = req.offset ?? 0;
      return { items: rows.slice(offset, offset + (req.limit ?? 200)), offset, total: rows.length };
    },
    async getDeviceItem({ sourceId, model, sk }) {
      const item = (await sessions.get(sourceId).listItems(model)).find((i) => i.sk === sk);
      if (!item)
        throw new Failure(
          'not-found',
          `The device store has no ${model} item ${sk} any more: refresh the list.`,
        );
      return { sk: item.sk, model: item.model, fields: item.fields };
    },
    async setDeviceItem(req) {
      const source = sessions.get(req.sourceId);
      const description = source.describe();
      if (!source.setItem || !description.writable)
        throw new Failure(
          'conflict',
          `${description.label} is read-only: open the device over MQTT or the framed protocol to change values.`,
        );
      const value = parseValue(req.value, req.type);
      const before = (await source.listItems('Store')).find((i) => i.sk === `s#${req.key}`);
      const change = {
        source: description.label,
        key: req.key,
        before: before?.fields.value ?? null,
        after: value,
        type: req.type,
      };
      const claimId = description.claimId ?? null;
      // Recorded as sent before the device is asked, so a change is never lost from the log.
      store.events.append({ kind: 'devstore.set', claimId, data: { ...change, state: 'sent' } });
      let item;
      try {
        item = await source.setItem({ key: req.key, value, type: req.type });
      } catch (error) {
        store.events.append({
          kind: 'devstore.set-unconfirmed',
          claimId,
          data: {
            ...change,
            state: isFailure(error) && error.code === 'device-refused' ? 'refused' : 'unconfirmed',
            reason: error instanceof Error ? error.message : String(error),
          },
        });
        throw error;
      }
      store.events.append({
        kind: 'devstore.set-confirmed',
        claimId,
        data: { ...change, state: 'confirmed', deviceUpdated: item.fields.updated ?? null },
      });
      return toRow(item);
    },
    async askDeviceItems({ sourceId, keys }) {
      const source = sessions.get(sourceId);
      if (!('askForKeys' in source))
        throw new Failure(
          'conflict',
          `${source.describe().label} holds the whole database already: asking for keys is for a device over MQTT.`,
        );
      const result = await (source as MqttStoreSource).askForKeys(keys);
      return { ...result, report: await sessions.report(sourceId) };
    },
    getDeviceTraffic: ({ sourceId }) => sessions.get(sourceId).traffic?.() ?? [],
    async exportDeviceStore(req) {
      const source = sessions.get(req.sourceId);
      const models = req.model ? [req.model] : (await source.listModels()).map((m) => m.name);
      const items = (await Promise.all(models.map((m) => source.listItems(m)))).flat();
      const base = (req.model ?? 'device-store').replace(/[^\w.-]+/g, '_');
      if (req.format === 'csv')
        return { fileName: `${base}.csv`, mediaType: MIME.csv, text: toCsv(selectRows(items, {})) };
      return { fileName: `${base}.json`, mediaType: MIME.json, text: toJson(items) };
    },
    async listSerialPorts() {
      const { ports: found } = await ports.list();
      return found.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer,
        serialNumber: p.serialNumber,
      }));
    },
  };
}
