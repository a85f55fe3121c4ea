/**
 * A profile's `esp32` section (ioto-contracts.md §8): the folder with the product's shared state
 * files, the storage partition, the chip family, the flashing baud rate and the reset mode.
 *
 * ```json5
 * esp32: { stateDir: 'ioto-esp32', partition: { label: 'storage' }, chip: 'esp32', flashBaud: 921600, reset: 'classic' }
 * ```
 * `stateDir` is relative to the profile file's folder. The partition may be given as
 * `{ offset: 0x210000, size: 0x400000 }` instead (checked against the unit's table when it has one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Failure } from '../failure';
import type { Esp32Settings } from '../transport/types';

export const ESP32_CHIPS = ['esp32', 'esp32-s2', 'esp32-s3', 'esp32-c3', 'esp32-c6', 'esp32-h2'] as const;

export const esp32SectionSchema = z.strictObject({
  stateDir: z.string().min(1),
  partition: z
    .strictObject({
      label: z.string().min(1).max(16).default('storage'),
      offset: z.number().int().nonnegative().multipleOf(4096).optional(),
      size: z.number().int().positive().multipleOf(4096).optional(),
    })
    .refine((p) => (p.offset === undefined) === (p.size === undefined), {
      message: 'give both `offset` and `size`, or neither (the label is then looked up on the unit)',
    })
    .default({ label: 'storage' }),
  chip: z.enum(ESP32_CHIPS).default('esp32'),
  flashBaud: z.number().int().positive().default(921600),
  reset: z.enum(['classic', 'usb-jtag', 'none']).default('classic'),
});
export type Esp32Section = z.output<typeof esp32SectionSchema>;

export const IOTO_JSON5 = 'config/ioto.json5';

/** Every file under the state folder, paths relative to it (`config/ioto.json5`), sorted. */
export function loadStateFolder(dir: string): Array<{ path: string; content: Buffer }> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new Failure(
      'validation',
      `The profile's ESP32 state folder ${dir} does not exist: create it with the product's config/ioto.json5.`,
      { field: 'esp32.stateDir' },
    );
  const out: Array<{ path: string; content: Buffer }> = [];
  const walk = (at: string, prefix: string) => {
    for (const name of fs.readdirSync(at).sort()) {
      const full = path.join(at, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (fs.statSync(full).isDirectory()) walk(full, rel);
      else out.push({ path: rel, content: fs.readFileSync(full) });
    }
  };
  walk(dir, '');
  if (!out.some((f) => f.path === IOTO_JSON5))
    throw new Failure(
      'validation',
      `The profile's ESP32 state folder ${dir} has no config/ioto.json5: copy the product's ioto.json5 there (the agent will not start without it).`,
      { field: 'esp32.stateDir' },
    );
  return out;
}

/** The transport settings an esp32 unit is flashed with. `profileDir` is where the profile file lives. */
export function esp32Settings(section: unknown, profileDir: string): Esp32Settings {
  const parsed = esp32SectionSchema.safeParse(section ?? {});
  if (!parsed.success)
    throw new Failure(
      'validation',
      "The profile's esp32 section is not valid: fix it on the Profiles screen.",
      {
        detail: parsed.error.issues.map((i) => `esp32.${i.path.join('.')}: ${i.message}`).join('\n'),
        field: 'esp32',
      },
    );
  const s = parsed.data;
  const partition: Esp32Settings['partition'] = { label: s.partition.label };
  if (s.partition.offset !== undefined) partition.offset = s.partition.offset;
  if (s.partition.size !== undefined) partition.size = s.partition.size;
  return {
    chip: s.chip,
    partition,
    flashBaud: s.flashBaud,
    reset: s.reset,
    stateFiles: loadStateFolder(path.resolve(profileDir, s.stateDir)),
  };
}
