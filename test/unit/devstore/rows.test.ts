import { describe, expect, it } from 'vitest';
import { selectRows, toCsv, toJson, toRow } from '../../../electron/core/devstore/rows';

const items = [
  {
    sk: 's#b',
    model: 'Store',
    fields: {
      sk: 's#b',
      _type: 'Store',
      key: 'b',
      value: 'say "hi", ok',
      type: 'string',
      updated: '2026-01-02',
    },
  },
  {
    sk: 's#a',
    model: 'Store',
    fields: { sk: 's#a', _type: 'Store', key: 'a', value: { x: 1 }, type: 'object', updated: '2026-01-03' },
  },
  {
    sk: 's#c',
    model: 'Store',
    fields: { sk: 's#c', _type: 'Store', key: 'c', value: 3, type: 'number', updated: '2026-01-01' },
  },
  { sk: 'd#X', model: 'Device', fields: { sk: 'd#X', _type: 'Device', id: 'X', name: 'Pump' } },
];

describe('device store rows', () => {
  it('shows Store items by key and value, other models by sort key and fields', () => {
    expect(toRow(items[1]!)).toEqual({
      sk: 's#a',
      model: 'Store',
      key: 'a',
      value: '{"x":1}',
      type: 'object',
      updated: '2026-01-03',
    });
    expect(toRow(items[3]!)).toEqual({
      sk: 'd#X',
      model: 'Device',
      key: 'd#X',
      value: '{"id":"X","name":"Pump"}',
      type: 'object',
      updated: null,
    });
  });

  it('searches keys and values, sorts by any column either way', () => {
    const store = items.slice(0, 3);
    expect(selectRows(store, {}).map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(selectRows(store, { sort: 'updated', descending: true }).map((r) => r.key)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(selectRows(store, { sort: 'updated' }).map((r) => r.key)).toEqual(['c', 'b', 'a']);
    expect(selectRows(store, { search: 'HI' }).map((r) => r.key)).toEqual(['b']);
    expect(selectRows(store, { search: '"x"' }).map((r) => r.key)).toEqual(['a']);
  });

  it('exports CSV with quoting and JSON with every field', () => {
    expect(toCsv(selectRows(items.slice(0, 2), {}))).toBe(
      'model,key,value,type,updated\nStore,a,"{""x"":1}",object,2026-01-03\nStore,b,"say ""hi"", ok",string,2026-01-02\n',
    );
    expect(JSON.parse(toJson(items.slice(0, 1)))).toEqual([items[0]!.fields]);
  });
});
