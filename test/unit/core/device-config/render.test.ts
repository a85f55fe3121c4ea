import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import {
  maskToken,
  renderDeviceJson5,
  type RenderUnit,
} from '../../../../electron/core/device-config/render';
import { checkProfileText, type Profile } from '../../../../electron/core/profiles';

const root = path.resolve(__dirname, '../../../..');
const hash = 'f'.repeat(64);

function example(name: string): Profile {
  const file = path.join(root, 'factory-profiles', `${name}.json5`);
  const { profile } = checkProfileText(fs.readFileSync(file, 'utf8'), { file });
  return profile!;
}

const unit = (claimId: string): RenderUnit => ({
  claimId,
  serial: 'SN-000042',
  orderId: 'WO-20261121-001',
  created: '2026-11-21T10:00:00.000Z',
});

const cases = [
  {
    name: 'ioto-demo',
    unit: unit('M72DANY8BZ'),
    expected: {
      product: '01H4R15D3478JD26YDYK408XE6',
      id: 'M72DANY8BZ',
      name: 'Ioto Demo',
      model: 'DEMO-1',
      description: 'Ioto demo gateway',
      test: true,
      created: '2026-11-21T10:00:00.000Z',
    },
  },
  {
    name: 'thermostat-pro',
    unit: unit('K3V9T0W2QXH5RA0'),
    expected: {
      product: '01JC8W4Q2V9N5T7XKZB3M6P0RD',
      id: 'K3V9T0W2QXH5RA0',
      name: 'Thermostat Pro',
      model: 'TP-200',
      description: 'Wall thermostat, two relays, Wi-Fi',
      test: false,
      created: '2026-11-21T10:00:00.000Z',
      account: 'ACME-INDUSTRIES',
      cloud: 'acme-eu-1',
      serial: 'SN-000042',
      batch: 'WO-20261121-001',
      hardware: 'rev-C',
      relays: 2,
      memory: { ram: '64MB', flash: '16MB' },
      ports: ['wifi', 'rs485'],
      label: 'TP-200 SN-000042',
    },
  },
];

describe('device.json5 rendering', () => {
  it.each(cases)('$name matches its golden file byte for byte and parses to the expected object', (c) => {
    const version = { name: c.name, hash, profile: example(c.name) };
    const text = renderDeviceJson5(version, c.unit);
    const golden = fs.readFileSync(
      path.join(root, 'test/fixtures/device-config', `${c.name}.device.json5`),
      'utf8',
    );
    expect(text).toBe(golden);
    // Same input, same bytes.
    expect(renderDeviceJson5(version, c.unit)).toBe(text);
    expect(JSON5.parse(text)).toEqual(c.expected);
    // Comment aside, it is strict JSON too (what the agent sends as the serialization request body).
    expect(
      JSON.parse(text.replace(/^\/\/.*\n/, '').replace(/^(\s*)([A-Za-z_$][\w$]*):/gm, '$1"$2":')),
    ).toEqual(c.expected);
  });

  it('keeps key order and output stable whatever order the template was written in', () => {
    const profile = example('thermostat-pro');
    const a = renderDeviceJson5({ name: 'x', hash, profile }, unit('ABC'));
    const b = renderDeviceJson5({ name: 'x', hash, profile: { ...profile } }, unit('ABC'));
    expect(a).toBe(b);
    expect(Object.keys(JSON5.parse(a)).slice(0, 7)).toEqual([
      'product',
      'id',
      'name',
      'model',
      'description',
      'test',
      'created',
    ]);
  });

  it('quotes keys that are not identifiers and escapes strings', () => {
    const profile = { ...example('ioto-demo'), device: { 'wifi-mac': 'a"b\\c\n', ok: null } };
    const text = renderDeviceJson5({ name: 'x', hash, profile }, unit('ABC'));
    expect(text).toContain('"wifi-mac": "a\\"b\\\\c\\n"');
    expect(JSON5.parse(text)).toMatchObject({ 'wifi-mac': 'a"b\\c\n', ok: null });
  });

  it('refuses a missing or placeholder product, and an ID outside [0-9A-Z]', () => {
    const profile = example('ioto-demo');
    const render =
      (p: Partial<Profile> & { product?: string }, id = 'M72DANY8BZ') =>
      () =>
        renderDeviceJson5({ name: 'x', hash, profile: { ...profile, ...p } }, unit(id));
    expect(render({ product: '' })).toThrow(/no `product` token: the agent refuses to start without it/);
    expect(render({ product: 'PUT-YOUR-PRODUCT-ID-HERE' })).toThrow(/still the placeholder/);
    expect(render({}, 'm72dany8bz')).toThrow(/needs 1 to 20 characters of 0-9 and A-Z/);
    expect(render({}, 'M72-DANY')).toThrow(/0-9 and A-Z/);
    expect(render({}, 'A'.repeat(21))).toThrow(/1 to 20 characters/);
    expect(render({ device: { s: '{{serial}}' } })).not.toThrow();
    expect(() =>
      renderDeviceJson5(
        { name: 'x', hash, profile: { ...profile, device: { s: '{{serial}}' } } },
        { ...unit('ABC'), serial: null },
      ),
    ).toThrow(/uses \{\{serial\}\} but this unit has no serial/);
  });

  it('masks the product token for people: first 4 and last 4', () => {
    expect(maskToken('01H4R15D3478JD26YDYK408XE6')).toBe(`01H4${'•'.repeat(18)}8XE6`);
    expect(maskToken('short')).toBe('•••••');
  });
});
