import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupClaimId, labelDataFromUnit, fillPayload } from '../../../electron/core/labels/fields';
import { createTemplateLibrary } from '../../../electron/core/labels/templates';
import { makeTempDir } from '../../support/tempDir';

const builtIn = path.resolve(__dirname, '../../../resources/labels');

describe('label templates', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeEach(() => (temp = makeTempDir()));
  afterEach(() => temp.cleanup());

  function load(name: string, body: object) {
    fs.writeFileSync(path.join(temp.dir, `${name}.json5`), JSON.stringify(body));
    return () => createTemplateLibrary({ builtInDir: builtIn, stationDir: temp.dir }).get(name);
  }
  const base = { width: 50, height: 30, dpi: 203 };

  it('loads both built-in examples', () => {
    const { loaded, broken } = createTemplateLibrary({ builtInDir: builtIn, stationDir: temp.dir }).list();
    expect(broken).toEqual([]);
    expect(loaded.map((l) => l.template.name)).toEqual(['claim-50x30', 'claim-url-60x40']);
  });

  it('a QR code that cannot fit says how big its box must be', () => {
    const get = load('tiny', {
      ...base,
      elements: [
        {
          type: 'qr',
          x: 0,
          y: 0,
          size: 5,
          payload: 'https://manager.example.com/claim?id={{id}}&product={{product}}',
        },
      ],
    });
    expect(get).toThrow(
      /^Template "tiny": the QR code does not fit its 5 mm box\. It needs 41 modules \(quiet zone included\) at 2 dots each, so the box must be at least 10\.3 mm at 203 dpi/,
    );
  });

  it('a payload too long for any QR code says so', () => {
    const get = load('novel', {
      ...base,
      elements: [{ type: 'qr', x: 0, y: 0, size: 28, payload: 'x'.repeat(3000) }],
    });
    expect(get).toThrow(
      'Template "novel": the QR payload (3000 characters) is too long for any QR code: shorten it.',
    );
  });

  it('an unknown field is named, with the fields that exist', () => {
    const get = load('colour', {
      ...base,
      elements: [{ type: 'text', x: 1, y: 1, height: 3, value: '{{colour}}' }],
    });
    expect(get).toThrow(
      'Template "colour": elements.0 uses {{colour}}, which is not a label field. Use one of id, idGrouped, product, model, serial, created, orderId, or list "colour" under fields.',
    );
    const ok = load('colour2', {
      ...base,
      fields: ['colour'],
      elements: [{ type: 'text', x: 1, y: 1, height: 3, value: '{{colour}}' }],
    });
    expect(ok().template.fields).toEqual(['colour']);
  });

  it('a label of size zero is refused', () => {
    const get = load('flat', {
      ...base,
      height: 0,
      elements: [{ type: 'text', x: 0, y: 0, height: 3, value: 'x' }],
    });
    expect(get).toThrow('Template "flat": height: height must be more than 0 mm.');
  });

  it('a missing logo file says where to put it', () => {
    const get = load('logo', {
      ...base,
      elements: [{ type: 'image', x: 0, y: 0, width: 5, height: 5, file: 'acme.png' }],
    });
    expect(get).toThrow(
      `Template "logo": the logo file acme.png was not found. Put it in ${temp.dir} or ${builtIn}.`,
    );
  });

  it('an element past the label edge is refused', () => {
    const get = load('edge', { ...base, elements: [{ type: 'text', x: 1, y: 29, height: 3, value: 'x' }] });
    expect(get).toThrow(/elements\.0 \(text\) reaches past the 50 x 30 mm label/);
  });

  it('an unknown template name says where templates go', () => {
    expect(() => createTemplateLibrary({ builtInDir: builtIn, stationDir: temp.dir }).get('nope')).toThrow(
      `No label template named "nope": put nope.json5 in ${temp.dir}.`,
    );
  });
});

describe('label data', () => {
  it('groups claim IDs for reading aloud', () => {
    expect(groupClaimId('M72DANY8BZ', [4, 4, 2])).toBe('M72D-ANY8-BZ');
    expect(groupClaimId('M72DANY8BZ12', [4, 4])).toBe('M72D-ANY8-BZ12');
    expect(groupClaimId('M72DANY8BZ', [])).toBe('M72DANY8BZ');
  });

  it('URL payloads get their values URL-encoded, bare payloads do not', () => {
    const values = { id: 'M72DANY8BZ', product: 'A & B' };
    expect(fillPayload('https://x.example/claim?id={{id}}&p={{product}}', values)).toBe(
      'https://x.example/claim?id=M72DANY8BZ&p=A%20%26%20B',
    );
    expect(fillPayload('{{id}}', values)).toBe('M72DANY8BZ');
  });

  it('maps a unit and its profile to label data', () => {
    const data = labelDataFromUnit(
      { claimId: 'M72DANY8BZ', serial: 'SN1', orderId: 'WO-1', createdAt: '2026-11-21T23:59:00.000Z' },
      { product: 'Acme', model: 'A1', label: { template: 'claim-50x30', fields: { batch: 7 } } },
    );
    expect(data).toEqual({
      claimId: 'M72DANY8BZ',
      product: 'Acme',
      model: 'A1',
      serial: 'SN1',
      created: '2026-11-21',
      orderId: 'WO-1',
      fields: { batch: '7' },
    });
  });
});
