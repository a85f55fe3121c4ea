import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';

let temp: { dir: string; cleanup: () => void };
let dataDir: string;
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(() => {
  temp = makeTempDir();
  dataDir = path.join(temp.dir, 'station');
});
afterAll(() => temp.cleanup());

// Ten CLI processes one after another: each takes seconds to start on a loaded machine.
describe('lineside profiles, orders, ids and config from a terminal', { timeout: 240_000 }, () => {
  it('profiles check: OK for the shipped profiles, file:line:column and exit 3 for a broken one', async () => {
    const all = await cli('profiles', 'check');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/OK {3}ioto-demo \(factory\)/);
    expect(all.stdout).toMatch(/OK {3}thermostat-pro \(factory\).*69\.8 bits/);

    const bad = path.join(temp.dir, 'bad.json5');
    fs.writeFileSync(
      bad,
      `{\n  productToken: '01H4R15D3478JD26YDYK408XE6',\n  name: 'X',\n  model: 'Y',\n}\n`,
    );
    const result = await cli('profiles', 'check', bad);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('bad.json5:1:1: `product` is required.');
    expect(result.stdout).toContain('bad.json5:2:3: Unknown key `productToken`: the agent reads `product`.');
    expect(result.stdout).toContain('hint: old docs say `productToken`; the agent reads `product`');
    const json = await cli('profiles', 'check', bad, '--json');
    expect(JSON.parse(json.stdout).value.problems).toHaveLength(2);
  });

  it('orders create reserves the IDs; ids reserve, export and config render use them', async () => {
    const created = await cli(
      'orders',
      'create',
      '--profile',
      'ioto-demo',
      '--quantity',
      '300',
      '--order',
      'WO-CLI',
      '--serial-prefix',
      'SN-',
      '--serial-width',
      '4',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/WO-CLI {2}ioto-demo {2}300\/300 reserved {2}ready/);
    expect(created.stderr).toMatch(/reserved 300 of 300/);

    const again = await cli('ids', 'reserve', '--order', 'WO-CLI', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, value: { orderId: 'WO-CLI', reserved: 300 } });
    const more = await cli('ids', 'reserve', '--profile', 'ioto-demo', '--count', '5', '--order', 'WO-CLI2');
    expect(more.stdout).toMatch(/WO-CLI2 .* 5\/5 reserved/);

    const out = path.join(temp.dir, 'manifest.csv');
    const exported = await cli('orders', 'export', 'WO-CLI', '--out', out);
    expect(exported.code).toBe(0);
    const rows = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('claim_id,serial,state,created_at,updated_at,profile_hash');
    expect(rows).toHaveLength(301);
    const claimId = rows[1]!.split(',')[0]!;

    const rendered = await cli(
      'config',
      'render',
      '--order',
      'WO-CLI',
      '--id',
      claimId,
      '--created',
      '2026-11-21T10:00:00.000Z',
    );
    expect(rendered.code).toBe(0);
    expect(JSON5.parse(rendered.stdout)).toMatchObject({
      product: '01H4R15D3478JD26YDYK408XE6',
      id: claimId,
      created: '2026-11-21T10:00:00.000Z',
    });
    const wrong = await cli('config', 'render', '--order', 'WO-CLI2', '--id', claimId);
    expect(wrong.code).toBe(4);

    const voided = await cli('orders', 'void', claimId, '--reason', 'scrap');
    expect(voided.stdout).toBe(`${claimId} voided (scrap)\n`);
    const active = await cli('orders', 'active', 'WO-CLI');
    expect(active.stdout).toMatch(/Active: WO-CLI .*reserved 299, voided 1/);
  });

  it("config render fills {{serial}} of a reserved unit with the order's next serial, or --serial, or says to add it", async () => {
    await cli(
      'orders',
      'create',
      '--profile',
      'thermostat-pro',
      '--quantity',
      '2',
      '--order',
      'WO-SN',
      '--serial-prefix',
      'TP',
      '--serial-width',
      '5',
    );
    await cli('orders', 'create', '--profile', 'thermostat-pro', '--quantity', '1', '--order', 'WO-NOSN');
    const idOf = async (order: string) => {
      const out = path.join(temp.dir, `${order}.csv`);
      await cli('orders', 'export', order, '--out', out);
      return fs.readFileSync(out, 'utf8').trimEnd().split('\r\n')[1]!.split(',')[0]!;
    };
    const id = await idOf('WO-SN');
    const preview = await cli('config', 'render', '--order', 'WO-SN', '--id', id);
    expect(preview.code).toBe(0);
    expect(JSON5.parse(preview.stdout)).toMatchObject({ id, serial: 'TP00001' });
    expect(preview.stderr).toContain(
      `Note: ${id} has no serial yet; rendered with the order's next serial TP00001`,
    );
    const chosen = await cli('config', 'render', '--order', 'WO-SN', '--id', id, '--serial', 'TP00042');
    expect(JSON5.parse(chosen.stdout)).toMatchObject({ serial: 'TP00042' });
    // Nothing was assigned by rendering: the unit is still reserved, the order's next serial unchanged.
    const again = await cli('config', 'render', '--order', 'WO-SN', '--id', id);
    expect(JSON5.parse(again.stdout)).toMatchObject({ serial: 'TP00001' });
    const none = await cli('config', 'render', '--order', 'WO-NOSN', '--id', await idOf('WO-NOSN'));
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(
      /uses \{\{serial\}\}, and \w+ has no serial yet \(its order hands out none\): add --serial S/,
    );
  });

  it('a usage error and an exhausted or unknown profile give their exit codes', async () => {
    expect((await cli('orders', 'create', '--profile', 'ioto-demo')).code).toBe(2);
    const missing = await cli('orders', 'create', '--profile', 'nope', '--quantity', '1');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no profile named "nope"/);
  });
});
