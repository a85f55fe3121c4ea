/**
 * Writes the Ioto agent's database files from the layout in ioto-contracts.md §6, independently of
 * Lineside's parser (it imports nothing from electron/): `device.db` (uint16 version 2, then uint32
 * length + key, uint32 length + value) and `device.db.jnl` (uint16 version 2, then per record:
 * uint32 recordSize = the three strings' bytes with their NULs and NOT their three length fields,
 * then three times uint32 length (with the NUL) + bytes + NUL). A record is 4 + 12 + recordSize
 * bytes. Either byte order. test/unit/devicedb/format.test.ts checks it against a hand-written
 * hex fixture of the §6 worked example.
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

/** One journal record as the agent appends it. */
export function journalRecord(r: FixtureRecord, e: Endian = 'le'): Buffer {
  const strings = [r.command, r.model, json5Text(r.value)].map((t) =>
    Buffer.concat([Buffer.from(t, 'utf8'), Buffer.from([0])]),
  );
  const recordSize = strings.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([u32(recordSize, e), ...strings.flatMap((b) => [u32(b.length, e), b])]);
}

export function writeJournal(records: FixtureRecord[], e: Endian = 'le'): Buffer {
  return Buffer.concat([u16(2, e), ...records.map((r) => journalRecord(r, e))]);
}

/** A Store item as the agent keeps it. */
export function storeItem(key: string, value: unknown, updated: string, type = typeof value): FixtureItem {
  return { sk: `s#${key}`, _type: 'Store', key, value, type, created: updated, updated };
}
