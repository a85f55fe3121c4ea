/** How the device-database worker sends items (parseWorker.ts) and the receiver unpacks them. */
import type { DeviceItem } from './format';

/**
 * Items as sent: only their fields, since an item's sort key and model are almost always its
 * fields' `sk` and `_type` (fewer strings to copy and, on the receiving side, to collect); the
 * few that differ are listed by index.
 */
export interface PackedItems {
  fields: Record<string, unknown>[];
  other: { at: number; sk: string; model: string }[];
}

export function packItems(items: DeviceItem[]): PackedItems {
  const packed: PackedItems = { fields: [], other: [] };
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    packed.fields.push(item.fields);
    if (item.fields.sk !== item.sk || item.fields._type !== item.model)
      packed.other.push({ at: k, sk: item.sk, model: item.model });
  }
  return packed;
}

export function unpackItems(packed: PackedItems): DeviceItem[] {
  const items: DeviceItem[] = packed.fields.map((fields) => ({
    sk: fields.sk as string,
    model: fields._type as string,
    fields,
  }));
  for (const o of packed.other) {
    items[o.at]!.sk = o.sk;
    items[o.at]!.model = o.model;
  }
  return items;
}
