/**
 * One interface for every place a device's Store can be read from. The file and MQTT sources live
 * here; the serial shell (fetch device.db over the console, or run the agent's `db` tool) and the
 * framed protocol's STORE LIST/GET/SET plug in by implementing the same interface.
 */
import type {
  DeviceStoreSourceKind,
  DeviceStoreTornFile,
  DeviceTrafficEntry,
  ErrorInfo,
} from '../../shared/contract';
import type { DeviceItem } from '../devicedb/format';

export interface DeviceStoreDescription {
  kind: DeviceStoreSourceKind;
  label: string;
  writable: boolean;
  /** The device's claim ID, when the source knows it (MQTT). */
  claimId?: string;
  byteOrder?: 'little-endian' | 'big-endian';
  journalRecords?: number;
  /** False while a file is still being read. */
  complete?: boolean;
  /** A damaged file found after the first rows were shown. */
  error?: ErrorInfo | null;
  torn?: DeviceStoreTornFile[];
  notices?: string[];
}

export interface DeviceStoreWrite {
  key: string;
  value: unknown;
  type: string;
}

export interface DeviceStoreSource {
  describe(): DeviceStoreDescription;
  /** Model names with their item counts. */
  listModels(): Promise<{ name: string; count: number }[]>;
  /** Every item of one model, as the source holds it now. */
  listItems(model: string): Promise<DeviceItem[]>;
  /** Writes a Store value through the source; resolves with the item once the device holds it. */
  setItem?(write: DeviceStoreWrite): Promise<DeviceItem>;
  /** Recent messages, for sources with a live view (MQTT). */
  traffic?(): DeviceTrafficEntry[];
  /** Called with the sort keys that changed, for live sources. Returns an unsubscribe function. */
  onChange?(listener: (sks: string[]) => void): () => void;
  close(): Promise<void>;
}

/** Counts items per model, in name order. */
export function countModels(items: Iterable<DeviceItem>): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.model, (counts.get(item.model) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, count]) => ({ name, count }));
}
