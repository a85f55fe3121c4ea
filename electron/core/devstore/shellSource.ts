/**
 * A Linux unit's Store over its serial shell, read-only. When the agent's companion `db` tool is on
 * the unit it prints the Store as JSON (`db --schema config/schema.json5 db/device.db Store`, paths
 * under the device directory); otherwise `db/device.db` and its journal are fetched over the console
 * (base64, checked against the unit's sha256sum) and parsed like a copied file. The session is
 * closed once read, so the port is free again.
 */
import JSON5 from 'json5';
import type { OpenDeviceSerialRequest } from '../../shared/contract';
import type { DeviceItem } from '../devicedb/format';
import { Failure } from '../failure';
import { shq, joinDevicePath } from '../transport/shell/commands';
import type { ShellSession } from '../transport/shell';
import { openFileSource } from './fileSource';
import { storeItemOf } from './framedSource';
import { countModels, type DeviceStoreSource } from './source';

/**
 * The `db` tool's JSON: an array of items, an object holding one (`items`, `Store`), or one item per
 * line. An item without a sort key is taken as a Store item by its `key`.
 */
export function parseDbToolOutput(text: string, model = 'Store'): DeviceItem[] {
  const trimmed = text.trim();
  let values: unknown[];
  try {
    const parsed = trimmed === '' ? [] : (JSON5.parse(trimmed) as unknown);
    if (Array.isArray(parsed)) values = parsed;
    else if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const inner = o.items ?? o[model];
      values = Array.isArray(inner) ? inner : [parsed];
    } else values = [];
  } catch {
    try {
      values = trimmed
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .map((l) => JSON5.parse(l) as unknown);
    } catch (error) {
      throw new Failure('protocol', "The unit's db tool printed something that is not JSON.", {
        detail: `${(error as Error).message}\n${trimmed.slice(0, 300)}`,
      });
    }
  }
  const items: DeviceItem[] = [];
  for (const v of values) {
    if (!v || typeof v !== 'object') continue;
    const fields = v as Record<string, unknown>;
    if (typeof fields.sk === 'string')
      items.push({ sk: fields.sk, model: typeof fields._type === 'string' ? fields._type : model, fields });
    else if (typeof fields.key === 'string') {
      const item = storeItemOf(fields.key, fields.value);
      items.push({ ...item, fields: { ...item.fields, ...fields } });
    }
  }
  return items.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
}

export async function openShellStoreSource(options: {
  session: ShellSession;
  deviceDir: string;
  label: string;
  /** `auto` (default): the db tool when the unit has it, else the files. */
  method?: OpenDeviceSerialRequest['method'];
}): Promise<DeviceStoreSource> {
  const { session, deviceDir } = options;
  try {
    const method = options.method ?? 'auto';
    const hasTool =
      method !== 'files' &&
      (await session.exec('command -v db >/dev/null 2>&1', 'looking for the db tool')).status === 0;
    if (method === 'db-tool' && !hasTool)
      throw new Failure('not-found', 'The unit has no db tool: read its database files instead.');
    if (hasTool) {
      const schema = joinDevicePath(deviceDir, 'config/schema.json5');
      const db = joinDevicePath(deviceDir, 'db/device.db');
      const r = await session.exec(`db --schema ${shq(schema)} ${shq(db)} Store`, 'running the db tool', {
        timeoutMs: 60_000,
      });
      if (r.status !== 0)
        throw new Failure('io', "The unit's db tool failed to read its database.", {
          detail: `exit ${r.status}\n${r.output.slice(-500)}`,
        });
      const items = parseDbToolOutput(r.output);
      return {
        describe: () => ({ kind: 'shell', label: `${options.label} (db tool)`, writable: false }),
        listModels: () => Promise.resolve(countModels(items)),
        listItems: (model) => Promise.resolve(items.filter((i) => i.model === model)),
        close: () => Promise.resolve(),
      };
    }
    const there = async (file: string) =>
      (await session.exec(`test -f ${shq(joinDevicePath(deviceDir, file))}`, `looking for ${file}`))
        .status === 0;
    const journalThere = await there('db/device.db.jnl');
    // A unit that ran less than the journal age has only the journal (§6): an empty database under it.
    const db = !journalThere || (await there('db/device.db')) ? await session.readFile('db/device.db') : null;
    const journal = journalThere ? await session.readFile('db/device.db.jnl') : null;
    const file = await openFileSource({ db, journal, label: joinDevicePath(deviceDir, 'db/device.db') });
    return {
      ...file,
      describe: () => ({ ...file.describe(), kind: 'shell', label: `${options.label}: db/device.db` }),
    };
  } finally {
    await session.close();
  }
}
