/**
 * ESP32 units (ioto-contracts.md §8): `esp image` builds a unit's LittleFS state image without
 * touching a unit (an offline programmer or a contract manufacturer flashes it at the storage
 * partition's offset); `esp read-store` reads a unit's storage partition through its bootloader and
 * prints its identity and Store, then resets it into its firmware.
 */
import fs from 'node:fs';
import JSON5 from 'json5';
import { openEsp32StoreSource } from '../../core/devstore/esp32Source';
import { esp32ReadSettings } from '../../core/transport/settings';
import { toRow } from '../../core/devstore/rows';
import { buildUnitImage } from '../../core/esp32/image';
import { espGeometry, partitionImage } from '../../core/littlefs';
import { Failure, isFailure } from '../../core/failure';
import { openEsp32Session } from '../../core/transport/esp32';
import { EXIT } from '../exitCodes';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

const asResult = async <T>(work: () => Promise<T>) => {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (isFailure(error)) return { ok: false as const, error: error.toInfo() };
    throw error;
  }
};

export const espImageCommand: Command = {
  ...specs.espImage,
  async run(ctx, args) {
    const orderId = stringOption(args, 'order');
    const claimId = stringOption(args, 'claim-id');
    const out = stringOption(args, 'out');
    if (!orderId || !claimId || !out) {
      ctx.io.stderr(`Usage: lineside esp image ${this.usage}`);
      return EXIT.usage;
    }
    const result = await asResult(async () => {
      const { store, wiring: line } = ctx.services();
      const unit = store.units.get(claimId);
      if (!unit || unit.orderId !== orderId)
        throw new Failure('not-found', `Work order ${orderId} has no unit with claim ID ${claimId}.`);
      const settings = line.transportSettings(orderId);
      if (settings.kind !== 'esp32' || !settings.esp32)
        throw new Failure(
          'validation',
          `Work order ${orderId}'s profile does not use the esp32 transport: there is no image to build.`,
        );
      const given = stringOption(args, 'partition-size');
      const size = given ? Number(given) : (settings.esp32.partition.size ?? 0x400000);
      if (!Number.isInteger(size) || size <= 0 || size % 4096 !== 0)
        throw new Failure('validation', '--partition-size must be a positive multiple of 4096 bytes.', {
          field: 'partition-size',
        });
      const files = await line.renderFiles(store.units.get(claimId)!, { session: null });
      const image = buildUnitImage(settings.esp32.stateFiles, files, size);
      // The image holds the product token and maybe a key: readable by this user only.
      fs.writeFileSync(out, partitionImage(image, espGeometry(size)), { mode: 0o600 });
      return {
        out,
        partitionSize: size,
        usedBytes: image.usedBytes,
        md5OfUsed: image.md5,
        files: image.files.map((f) => ({ path: f.path, size: f.content.length })),
      };
    });
    return ctx.report(
      result,
      (v) =>
        `${v.out}: LittleFS image of ${v.files.length} files, ${v.partitionSize} bytes (${v.usedBytes} used, MD5 of those ${v.md5OfUsed}). Flash it at the storage partition's offset.`,
    );
  },
};

export const espReadStoreCommand: Command = {
  ...specs.espReadStore,
  async run(ctx, args) {
    const port = stringOption(args, 'port');
    const reset = stringOption(args, 'reset') ?? 'classic';
    if (!port || !['classic', 'usb-jtag', 'none'].includes(reset)) {
      ctx.io.stderr(`Usage: lineside esp read-store ${this.usage}`);
      return EXIT.usage;
    }
    const baud = stringOption(args, 'baud');
    const label = stringOption(args, 'label');
    const result = await asResult(async () => {
      const session = await openEsp32Session({
        path: port,
        settings: esp32ReadSettings({
          reset: reset as 'classic' | 'usb-jtag' | 'none',
          ...(baud ? { flashBaud: Number(baud) } : {}),
          ...(label ? { partitionLabel: label } : {}),
        }),
        onConsole: (t) => {
          if (!ctx.json) process.stderr.write(t);
        },
      });
      const chip = session.chip;
      const partition = session.partition;
      const read = await openEsp32StoreSource({ session, label: port });
      const items = (await read.source.listItems('Store')).map(toRow);
      await read.source.close();
      const deviceJson = read.identity['config/device.json5'];
      let claimId: string | null = null;
      if (deviceJson) {
        const id = (JSON5.parse(deviceJson.toString('utf8')) as { id?: unknown }).id;
        claimId = typeof id === 'string' ? id : null;
      }
      return {
        chip,
        partition,
        claimId,
        identityFiles: Object.keys(read.identity),
        files: read.files,
        store: items.map((r) => ({ key: r.key, value: r.value, type: r.type, updated: r.updated })),
      };
    });
    return ctx.report(result, (v) =>
      [
        `${v.chip}, ${v.partition.label} partition at 0x${v.partition.offset.toString(16)}: claim ID ${v.claimId ?? '(none)'}`,
        `Files: ${v.files.map((f) => `${f.path} (${f.size})`).join(', ')}`,
        `Store (${v.store.length})`,
        ...v.store.map((r) => `  ${r.key}\t${r.value}\t${r.type}\t${r.updated ?? '-'}`),
      ].join('\n'),
    );
  },
};
