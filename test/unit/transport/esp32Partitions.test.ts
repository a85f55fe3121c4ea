import { describe, expect, it } from 'vitest';
import { chooseStoragePartition } from '../../../electron/core/transport/esp32/partitionChoice';
import {
  buildPartitionTable,
  iotoSamplePartitions,
  parsePartitionTable,
} from '../../../electron/core/transport/esp32/partitions';

describe("ESP-IDF's partition table at 0x8000", () => {
  it('reads the 0x50AA entries up to the 0xEBEB MD5 entry, whose digest it checks', () => {
    const table = buildPartitionTable(iotoSamplePartitions());
    // First entry: magic AA 50, data (1) / nvs (2), offset 0x9000, size 0x6000, label "nvs".
    expect([...table.subarray(0, 4)]).toEqual([0xaa, 0x50, 0x01, 0x02]);
    expect(table.readUInt32LE(4)).toBe(0x9000);
    expect(table.subarray(12, 15).toString()).toBe('nvs');
    expect([...table.subarray(128, 130)]).toEqual([0xeb, 0xeb]);
    expect(parsePartitionTable(table).map((p) => [p.label, p.offset, p.size, p.subtype])).toEqual([
      ['nvs', 0x9000, 0x6000, 0x02],
      ['phy_init', 0xf000, 0x1000, 0x01],
      ['factory', 0x10000, 0x200000, 0x00],
      ['storage', 0x210000, 0x400000, 0x83],
    ]);
    const damaged = Buffer.from(table);
    damaged[5]! ^= 1;
    expect(() => parsePartitionTable(damaged)).toThrow(/partition table at 0x8000 is damaged/);
    expect(() => parsePartitionTable(Buffer.alloc(0xc00, 0xff))).toThrow(/has no partition table at 0x8000/);
  });

  it('chooses the storage partition, or refuses in one sentence', () => {
    const table = parsePartitionTable(buildPartitionTable(iotoSamplePartitions()));
    expect(chooseStoragePartition(table, { label: 'storage' })).toEqual({
      label: 'storage',
      offset: 0x210000,
      size: 0x400000,
    });
    expect(() =>
      chooseStoragePartition(table, { label: 'storage', offset: 0x300000, size: 0x100000 }),
    ).toThrow(
      /^The unit's "storage" partition is at 0x210000 \(0x400000 bytes\) but the profile says 0x300000 \(0x100000\): flash the product's firmware or fix the profile\.$/,
    );
    expect(() => chooseStoragePartition(table, { label: 'spiffs' })).toThrow(/has no "spiffs" partition/);
    expect(() => chooseStoragePartition(table, { label: 'factory' })).toThrow(/is not a data partition/);
  });
});
