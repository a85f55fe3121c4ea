/**
 * Bounded property tests of everything a profile, a unit, a peer or a file hands the station
 * (frames have their own in test/unit/core/transport/frameVectors.test.ts). Fixed seeds, so a
 * failure repeats with its case number; seconds of budget each, so they run in `npm test`.
 */
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { isFailure } from '../../../electron/core/failure';
import { loadDeviceDatabase } from '../../../electron/core/devicedb/replay';
import { labelDataFromUnit } from '../../../electron/core/labels/fields';
import { layoutLabel } from '../../../electron/core/labels/layout';
import { renderSvg } from '../../../electron/core/labels/render/svg';
import { renderZpl } from '../../../electron/core/labels/render/zpl';
import { createTemplateLibrary } from '../../../electron/core/labels/templates';
import { checkProfileText } from '../../../electron/core/profiles';
import { redactBody } from '../../../electron/core/serialization-service/journal';
import { storeItem, writeDeviceDb, writeJournal } from '../../support/deviceDb';
import { forAll, type Rng } from '../../support/fuzz';

const root = path.resolve(__dirname, '../../..');
const TOKEN = '01H4R15D3478JD26YDYK408XE6';
const NASTY = [
  '__proto__',
  'constructor',
  'toString',
  '\u0015touch /tmp/PWNED #',
  '\u0003',
  '\u007f',
  '{{id}}',
  '{{secret:product_0123456789abcdef01}}',
  '[[[[[[[[',
  '}}}}',
  "'",
  '"',
  '\\',
  '\u2028',
  '\uFEFF',
  '𝓤𝓷𝓲𝓬𝓸𝓭𝓮',
  '1e999',
  '-0',
  'NaN',
  'Infinity',
  '^XZ^XA',
  '~JA',
  '_5E',
  '<script>',
  ']]>',
  TOKEN,
  TOKEN.toLowerCase(),
];

function mutate(rng: Rng, text: string): string {
  let out = text;
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const at = rng.int(out.length + 1);
    const r = rng.next();
    if (r < 0.3) out = out.slice(0, at) + rng.pick(NASTY) + out.slice(at);
    else if (r < 0.5) out = out.slice(0, at) + out.slice(at + 1 + rng.int(8));
    else if (r < 0.7) out = out.slice(0, at) + String.fromCharCode(rng.int(0x80)) + out.slice(at + 1);
    else if (r < 0.8) out = out.slice(0, at);
    else if (r < 0.9) out = out.slice(0, at) + '['.repeat(rng.int(3000)) + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + rng.int(200)).repeat(2) + out.slice(at);
  }
  return out;
}

describe('profiles: hostile text (fixed seed)', () => {
  const shipped = ['ioto-demo.json5', 'thermostat-pro.json5'].map((f) =>
    fs.readFileSync(path.join(root, 'factory-profiles', f), 'utf8'),
  );
  it('every mutation gives a profile or problems with a position and a plain sentence, never a throw', () => {
    const ran = forAll({ seed: 13_001, cases: 3000, budgetMs: 3000, minCases: 200 }, (rng) => {
      const text = mutate(rng, rng.pick(shipped));
      const check = checkProfileText(text, { file: 'fuzz.json5' });
      expect(check.hash).toMatch(/^[0-9a-f]{64}$/);
      if (check.profile) {
        expect(check.problems).toEqual([]);
        // Whatever a console would be typed is printable (ioto-contracts section 9).
        const t = check.profile.transport;
        // eslint-disable-next-line no-control-regex
        const control = /[\u0000-\u001f\u007f]/;
        for (const v of [t?.deviceDir, t?.login?.user, t?.login?.password, ...(t?.postCommands ?? [])])
          if (v !== undefined) expect(v).not.toMatch(control);
      } else expect(check.problems.length).toBeGreaterThan(0);
      const lines = text.split('\n').length;
      for (const p of check.problems) {
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.line).toBeLessThanOrEqual(lines + 1);
        expect(p.column).toBeGreaterThanOrEqual(1);
        expect(typeof p.message).toBe('string');
        expect(p.message.length).toBeGreaterThan(0);
        expect(`${p.message} ${p.hint ?? ''}`).not.toMatch(/native code|\[object Object\]|undefined/);
      }
    });
    expect(ran).toBeGreaterThanOrEqual(200);
  });
});

describe('device.db and device.db.jnl: hostile bytes (fixed seed)', () => {
  const items = Array.from({ length: 12 }, (_, i) =>
    storeItem(`k${i}`, i % 3 ? `v${i}` : { n: i }, '2026-01-01T00:00:00.000Z'),
  );
  const base = {
    le: { db: writeDeviceDb(items, 'le'), journal: writeJournal([], 'le') },
    be: { db: writeDeviceDb(items, 'be'), journal: writeJournal([], 'be') },
  };
  it('random cuts, flips, splices and length fields end in items or a "damaged at byte N" Failure', () => {
    const ran = forAll({ seed: 13_002, cases: 5000, budgetMs: 3000, minCases: 300 }, (rng) => {
      const files = rng.pick([base.le, base.be]);
      const target = rng.chance(0.6) ? 'db' : 'journal';
      let bytes = Buffer.from(files[target]);
      const r = rng.next();
      if (r < 0.25) bytes = bytes.subarray(0, rng.int(bytes.length + 1));
      else if (r < 0.5) for (let f = 0; f < 1 + rng.int(4); f++) bytes[rng.int(bytes.length)] = rng.int(256);
      else if (r < 0.75) {
        // A length field claiming anything: the parser must bound it by the file, not allocate it.
        const at = rng.int(Math.max(1, bytes.length - 4));
        if (bytes.length >= 4)
          bytes.writeUInt32LE(rng.pick([0, 1, 0x7fffffff, 0xffffffff, rng.int(2 ** 32)]), at);
      } else
        bytes = Buffer.concat([
          bytes.subarray(0, rng.int(bytes.length)),
          rng.bytes(rng.int(64)),
          bytes.subarray(rng.int(bytes.length)),
        ]);
      const input =
        target === 'db' ? { db: bytes, journal: files.journal } : { db: files.db, journal: bytes };
      try {
        const result = loadDeviceDatabase(input);
        expect(Array.isArray(result.items)).toBe(true);
      } catch (error) {
        expect(isFailure(error), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/is damaged at byte \d+: /);
      }
    });
    expect(ran).toBeGreaterThanOrEqual(300);
  });
});

describe('label fields: hostile values (fixed seed)', () => {
  const library = createTemplateLibrary({
    builtInDir: path.join(root, 'resources/labels'),
    stationDir: '/nonexistent',
  });
  const value = (rng: Rng) =>
    Array.from({ length: 1 + rng.int(4) }, () =>
      rng.chance(0.5)
        ? rng.pick(NASTY)
        : String.fromCharCode(...Array.from({ length: rng.int(12) }, () => rng.int(0x3000))),
    ).join('');
  it('any product, model, serial or order text lays out and renders; ZPL never carries a command from it', () => {
    const ran = forAll({ seed: 13_003, cases: 400, budgetMs: 3000, minCases: 40 }, (rng) => {
      const template = rng.pick(['claim-50x30', 'claim-url-60x40']);
      const data = labelDataFromUnit(
        {
          claimId: 'M72DANY8BZ',
          serial: value(rng),
          orderId: value(rng),
          createdAt: '2026-11-21T10:00:00.000Z',
        },
        { product: value(rng), model: value(rng), label: { template, fields: { batch: value(rng) } } },
      );
      let label;
      try {
        label = layoutLabel(library.get(template), data);
      } catch (error) {
        expect(isFailure(error), String(error)).toBe(true);
        return;
      }
      const zpl = renderZpl(label);
      // One label: exactly one start and one end, whatever the fields held.
      expect(zpl.match(/\^XA/g)).toHaveLength(1);
      expect(zpl.match(/\^XZ/g)).toHaveLength(1);
      expect(zpl).not.toMatch(/~J/);
      const svg = renderSvg(label);
      expect(svg).not.toContain('<script');
      expect(svg.match(/<svg/g)).toHaveLength(1);
    });
    expect(ran).toBeGreaterThanOrEqual(40);
  });
});

describe('serialization bodies: hostile requests (fixed seed)', () => {
  function randomJson(rng: Rng, depth: number): unknown {
    const r = rng.next();
    if (depth > 6 || r < 0.3) return rng.chance(0.3) ? TOKEN : rng.pick([...NASTY, 1, -0, null, true, 1e308]);
    if (r < 0.6) return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let i = 0; i < rng.int(5); i++)
      o[rng.pick(['product', 'Product', '__proto__', 'name', TOKEN, 'id', 'x'])] = randomJson(rng, depth + 1);
    return o;
  }
  it('the journaled body never holds a product token, in any case or place, and stays bounded', () => {
    const ran = forAll({ seed: 13_004, cases: 4000, budgetMs: 3000, minCases: 300 }, (rng) => {
      const value = { product: TOKEN, ...(randomJson(rng, 0) as object) };
      const r = rng.next();
      const raw =
        r < 0.4
          ? JSON.stringify(value)
          : r < 0.7
            ? JSON5.stringify(value)
            : mutate(rng, JSON.stringify(value)) + (rng.chance(0.1) ? '['.repeat(20_000) : '');
      const body = redactBody(raw);
      expect(body.toUpperCase()).not.toContain(TOKEN);
      expect(body.length).toBeLessThanOrEqual(4096 + 10);
    });
    expect(ran).toBeGreaterThanOrEqual(300);
  });
});
