/**
 * Writes the Ioto agent's database files from the format in ioto-contracts.md §6, independently of
 * Lineside's parser: `device.db` (uint16 version 2, then uint32 length + key, uint32 length + value)
 * and `device.db.jnl` (uint16 version, then uint32 record length + three strings, each uint32 length
 * including the NUL + bytes + NUL). Either byte order.
 */
export type Endian = 'le' | 'be';

function u16(n: number, e: Endian): Buffer {
  const b = Buffer.alloc(2);
  if (e === 'le') b.writeUInt16LE(n);
  else b.writeUInt16BE(n);
  return b;
}

function u32(n: number, e: Endian): Buffer {
  const b = Buffer.alloc(4);
  if (e === 'le') b.writeUInt32LE(n);
  else b.writeUInt32BE(n);
  return b;
}

export interface FixtureItem {
  sk: string;
  _type: string;
  [field: string]: unknown;
}

/** JSON5 text the way a device might hold it: unquoted keys, single quotes. */
export function json5Text(value: Record<string, unknown>): string {
  const parts = Object.entries(value).map(([k, v]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
    const val = typeof v === 'string' && !v.includes("'") && !v.includes('\\') ? `'${v}'` : JSON.stringify(v);
    return `${key}:${val}`;
  });
  return `{${parts.join(',')}}`;
}

/** Items are written in sort-key order, as the agent saves them. */
export function writeDeviceDb(items: FixtureItem[], e: Endian = 'le'): Buffer {
  const sorted = [...items].sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const parts: Buffer[] = [u16(2, e)];
  for (const item of sorted) {
    const key = Buffer.from(item.sk, 'utf8');
    const value = Buffer.from(json5Text(item), 'utf8');
    parts.push(u32(key.length, e), key, u32(value.length, e), value);
  }
  return Buffer.concat(parts);
}

export interface FixtureRecord {
  command: 'create' | 'update' | 'upsert' | 'remove';
  model: string;
  value: Record<string, unknown> & { sk: string };
}

function cstring(text: string, e: Endian): Buffer {
  const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
  return Buffer.concat([u32(bytes.length, e), bytes]);
}

export function writeJournal(records: FixtureRecord[], e: Endian = 'le'): Buffer {
  const parts: Buffer[] = [u16(2, e)];
  for (const r of records) {
    const body = Buffer.concat([cstring(r.command, e), cstring(r.model, e), cstring(json5Text(r.value), e)]);
    parts.push(u32(body.length, e), body);
  }
  return Buffer.concat(parts);
}

/** A Store item as the agent keeps it. */
export function storeItem(key: string, value: unknown, updated: string, type = typeof value): FixtureItem {
  return { sk: `s#${key}`, _type: 'Store', key, value, type, created: updated, updated };
}
