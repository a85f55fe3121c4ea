import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfileText, hashProfileText, profileEntropy } from '../../../../electron/core/profiles';

const root = path.resolve(__dirname, '../../../..');
const file = 'test.json5';
const check = (text: string, entropyFloor?: number) => checkProfileText(text, { file, entropyFloor });

const base = (extra = '', product = "'01H4R15D3478JD26YDYK408XE6'") => `{
  product: ${product},
  name: 'Demo',
  model: 'D-1',${extra}
}
`;

describe('factory profile validation', () => {
  it.each(['ioto-demo.json5', 'thermostat-pro.json5', 'ioto-esp32.json5'])(
    'accepts the shipped example %s',
    (name) => {
      const text = fs.readFileSync(path.join(root, 'factory-profiles', name), 'utf8');
      const result = checkProfileText(text, { file: name });
      expect(result.problems).toEqual([]);
      expect(result.profile).not.toBeNull();
      // The profile version is the sha256 of the file's exact bytes, computed here without the code.
      expect(result.hash).toBe(
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(root, 'factory-profiles', name)))
          .digest('hex'),
      );
      expect(hashProfileText(text)).toBe(result.hash);
    },
  );

  it('an esp32 transport needs an esp32 section, and the section is checked', () => {
    const transport = "\n  transport: { kind: 'esp32', baudRate: 115200, deviceDir: '/state' },";
    const missing = check(base(transport));
    expect(missing.problems.map((p) => p.message)).toEqual([
      'Transport `esp32` needs an `esp32` section naming the state folder.',
    ]);
    const bad = check(base(`${transport}\n  esp32: { stateDir: 's', chip: 'esp8266' },`));
    expect(bad.problems.map((p) => p.path)).toEqual(['esp32.chip']);
    const good = check(
      base(`${transport}\n  esp32: { stateDir: 's', partition: { offset: 0x210000, size: 0x400000 } },`),
    );
    expect(good.problems).toEqual([]);
    expect(good.profile?.esp32).toMatchObject({ chip: 'esp32', flashBaud: 921600, reset: 'classic' });
  });

  it('applies the agent-format defaults and reports the entropy', () => {
    const { profile } = check(base());
    expect(profile).toMatchObject({
      description: '',
      test: false,
      ids: { alphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ', length: 10, checkSymbol: false },
      device: {},
    });
    expect(profileEntropy(profile!)).toBe(50);
  });

  it('missing product: its own message, at the object, with a hint', () => {
    const { problems, profile } = check(`{\n  name: 'Demo',\n  model: 'D-1',\n}\n`);
    expect(profile).toBeNull();
    expect(problems).toEqual([
      {
        file,
        line: 1,
        column: 1,
        path: 'product',
        message: '`product` is required.',
        hint: 'paste the product token from the cloud builder (Products page)',
      },
    ]);
  });

  it('the placeholder product and a malformed token each say so, at their line', () => {
    const [placeholder] = check(base('', "'PUT-YOUR-PRODUCT-ID-HERE'")).problems;
    expect(placeholder).toMatchObject({ line: 2, column: 12, path: 'product' });
    expect(placeholder!.message).toMatch(/still the placeholder PUT-YOUR-PRODUCT-ID-HERE/);
    const [bad] = check(base('', "'01H4R15D'")).problems;
    expect(bad).toMatchObject({ line: 2, path: 'product' });
    expect(bad!.message).toMatch(/26-character product token/);
  });

  it('unknown key: old-docs names get the real name as a hint', () => {
    const { problems } = check(base("\n  productToken: 'x',\n  claim: 'ABC',\n  colud: {},"));
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        column: 3,
        path: 'productToken',
        message: 'Unknown key `productToken`: the agent reads `product`.',
        hint: 'old docs say `productToken`; the agent reads `product`',
      }),
      expect.objectContaining({
        line: 6,
        column: 3,
        path: 'claim',
        message: 'Unknown key `claim`: the agent reads `id`.',
      }),
      expect.objectContaining({ line: 7, path: 'colud', hint: 'did you mean `cloud`?' }),
    ]);
  });

  it('bad alphabet: names the bad letters, at the alphabet line', () => {
    const { problems } = check(
      base("\n  ids: {\n    length: 12,\n    alphabet: 'abcdef0123456789ABCDEF',\n  },"),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 7,
        column: 15,
        path: 'ids.alphabet',
        message:
          'The alphabet uses "a", "b", "c", "d", "e", "f": claim IDs may only use 0-9 and A-Z (upper case).',
      }),
    ]);
  });

  it('entropy below the floor: says how many bits and what length would do', () => {
    const { problems } = check(base('\n  ids: {\n    length: 8,\n  },'));
    expect(problems).toEqual([
      expect.objectContaining({
        line: 6,
        column: 5,
        path: 'ids',
        message: 'The claim-ID policy gives 40.0 bits of entropy; this station requires at least 50.',
        hint: 'use a length of at least 10 with this alphabet, or a larger alphabet',
      }),
    ]);
    // The floor is the station's setting.
    expect(check(base('\n  ids: { length: 8 },'), 40).problems).toEqual([]);
    expect(check(base(), 60).problems[0]!.message).toMatch(/50.0 bits .* at least 60/);
  });

  it('JSON5 syntax error: the parser position and a hint', () => {
    const { problems } = check(
      "{\n  product: '01H4R15D3478JD26YDYK408XE6',\n  name: 'Demo'\n  model: 'D-1',\n}\n",
    );
    expect(problems).toEqual([
      {
        file,
        line: 4,
        column: 3,
        path: '',
        message: "JSON5 syntax error: invalid character 'm'.",
        hint: 'look for a missing comma, quote, colon or closing bracket at or just before this point',
      },
    ]);
  });

  it('reports every problem at once, each at its own line', () => {
    const text = `{
  // comment with a { brace and 'quote'
  "product": 'PUT-YOUR-PRODUCT-ID-HERE',
  name: '',
  model: 'D-1',
  ids: { length: 30, checkSymbol: true, alphabet: '0123456789' },
  transport: { kind: 'usb', baudRate: 115200, deviceDir: '/x', vendorThing: 1 },
  device: { id: 'x', note: 'made {{when}}' },
}`;
    const { problems } = check(text);
    const summary = problems.map((p) => `${p.line}:${p.path}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        '3:product',
        '4:name',
        '6:ids.length',
        '6:ids.checkSymbol',
        '7:transport.kind',
        '8:device.id',
        '8:device.note',
      ]),
    );
    expect(problems.find((p) => p.path === 'device.note')!.message).toBe('Unknown placeholder {{when}}.');
    // Unknown keys inside the sections later issues extend are allowed.
    expect(summary).not.toContain('7:transport.vendorThing');
  });

  it('lets the label, cloud and certificate sections carry keys later issues add', () => {
    const { problems } = check(
      base(
        "\n  label: { template: 'x', printer: 'zebra' },\n  cloud: { builder: 'https://b.example/api', region: 'eu' },\n  certificate: { validityDays: 30, keyType: 'ec' },",
      ),
    );
    expect(problems).toEqual([]);
    expect(check(base("\n  cloud: { builder: 'not a url' },")).problems[0]).toMatchObject({
      line: 5,
      path: 'cloud.builder',
    });
  });
  it('refuses a control character in any value typed into a console, at its line and column', () => {
    const { problems, profile } = check(
      base(`
  transport: {
    kind: 'shell', baudRate: 115200,
    deviceDir: '/tmp/u/state\\u0015touch /tmp/PWNED #',
    login: { user: 'ro\u0003ot', password: 'x\u007f' },
    postCommands: ['systemctl restart ioto', 'echo\u0017'],
  },
  device: { note: 'template values travel encoded: \u0015 is fine here' },`),
    );
    expect(profile).toBeNull();
    expect(problems.map((p) => `${p.line}:${p.column}:${p.path}`)).toEqual([
      '7:16:transport.deviceDir',
      '8:20:transport.login.user',
      '8:39:transport.login.password',
      '9:46:transport.postCommands.1',
    ]);
    expect(problems[0]!.message).toBe(
      "This value holds the control character U+0015 at character 13: a unit's console acts on it before the shell sees any quoting, so it could run other commands.",
    );
    expect(problems[0]!.hint).toMatch(/printable characters only/);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'a key named %s gets an ordinary message and hint, at its line',
    (key) => {
      for (const [extra, path, hint] of [
        [`\n  ${key}: 1,`, key, /free device properties go under `device`/],
        [`\n  ids: { ${key}: 1 },`, `ids.${key}`, /known keys here: `alphabet`/],
      ] as const) {
        const { problems, profile } = check(base(extra));
        expect(profile).toBeNull();
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatchObject({ line: 5, path, message: `Unknown key \`${key}\`.` });
        expect(problems[0]!.hint).toMatch(hint);
        expect(JSON.stringify(problems)).not.toMatch(/native code|\[object Object\]/);
      }
    },
  );

  it('refuses __proto__ and constructor as device properties', () => {
    const { problems } = check(base(`\n  device: { meta: { __proto__: { x: 1 } }, constructor: 'x' },`));
    expect(problems.map((p) => p.path)).toEqual(['device.meta.__proto__', 'device.constructor']);
    expect(problems[0]!.message).toMatch(/cannot be a device property/);
  });

  it('a deeply nested profile is one problem at the place it gets too deep, not a stack overflow', () => {
    const deep = base(`\n  device: { a: ${'['.repeat(100_000)}${']'.repeat(100_000)} },`);
    const { problems, profile } = check(deep);
    expect(profile).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        column: 46,
        path: '',
        message: expect.stringMatching(/more than 32 levels deep/),
      }),
    ]);
    // Brackets inside strings and comments do not count.
    const fine = check(base(`\n  device: { a: '${'['.repeat(100)}', /* ${'{'.repeat(100)} */ b: [[[1]]] },`));
    expect(fine.problems).toEqual([]);
  });
});
