/** Items as table rows: search, sort, page and export (JSON / CSV). */
import type { DeviceItemRow, DeviceItemSort } from '../../shared/contract';
import type { DeviceItem } from '../devicedb/format';

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toRow(item: DeviceItem): DeviceItemRow {
  const f = item.fields;
  const updated = typeof f.updated === 'string' ? f.updated : null;
  if (item.model === 'Store' || 'value' in f) {
    return {
      sk: item.sk,
      model: item.model,
      key: typeof f.key === 'string' ? f.key : item.sk,
      value: text(f.value),
      type: typeof f.type === 'string' ? f.type : f.value === undefined ? '' : typeof f.value,
      updated,
    };
  }
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (k !== 'sk' && k !== '_type') rest[k] = v;
  return {
    sk: item.sk,
    model: item.model,
    key: item.sk,
    value: JSON.stringify(rest),
    type: 'object',
    updated,
  };
}

export function selectRows(
  items: readonly DeviceItem[],
  options: { search?: string; type?: string; sort?: DeviceItemSort; descending?: boolean },
): DeviceItemRow[] {
  let rows = items.map(toRow);
  if (options.type) rows = rows.filter((r) => r.type === options.type);
  const needle = options.search?.trim().toLowerCase();
  if (needle)
    rows = rows.filter((r) => r.key.toLowerCase().includes(needle) || r.value.toLowerCase().includes(needle));
  const sort = options.sort ?? 'key';
  const dir = options.descending ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[sort] ?? '';
    const y = b[sort] ?? '';
    return (x < y ? -1 : x > y ? 1 : a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0) * dir;
  });
  return rows;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: readonly DeviceItemRow[]): string {
  const lines = ['model,key,value,type,updated'];
  for (const r of rows) lines.push([r.model, r.key, r.value, r.type, r.updated ?? ''].map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

export function toJson(items: readonly DeviceItem[]): string {
  return (
    JSON.stringify(
      items.map((i) => i.fields),
      null,
      2,
    ) + '\n'
  );
}
