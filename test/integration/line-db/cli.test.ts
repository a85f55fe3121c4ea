/**
 * `lineside line ...` through the real bin against a real PostgreSQL server: connect, status
 * (human and --json), LINESIDE_LINE_URL, the order report as CSV and JSON, leases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { createLineStation } from '../../support/lineStation';
import { PG_PASSWORD, startPostgres, type PgServer } from '../../support/postgres';
import { makeTempDir } from '../../support/tempDir';

let server: PgServer;
const temps: (() => void)[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  temps.splice(0).forEach((t) => t());
  await server?.destroy();
});

function dataDir(): string {
  const t = makeTempDir('lineside-line-cli-');
  temps.push(t.cleanup);
  return t.dir;
}

describe('lineside line', () => {
  it('connect, status, report and leases from the command line', async () => {
    server.createDatabase('cli_line');
    const url = server.url('cli_line');
    const dir = dataDir();
    const cli = (...args: string[]) => runCli([...args, '--data-dir', dir], { LINESIDE_LINE_URL: '' });

    expect((await cli('line', 'status')).stdout).toMatch(/Standalone: this station is not on a line/);
    const connect = await cli('line', 'connect', '--url', url);
    expect(connect.code, connect.stderr).toBe(0);
    expect(connect.stdout).toMatch(/^Connected to postgres:\/\/lineside:\*\*\*@127\.0\.0\.1/);
    expect(connect.stdout + connect.stderr).not.toContain(PG_PASSWORD);

    const status = await cli('line', 'status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: true,
      value: { state: 'connected', pending: 0, source: 'setting' },
    });

    const bad = await cli('line', 'connect', '--url', url.replace(encodeURIComponent(PG_PASSWORD), 'nope'));
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(
      /^Error: The line database at 127\.0\.0\.1:\d+ refused the password for user lineside/,
    );

    // A station (in this process) makes units on the line; the CLI of another station reads the report.
    const s = createLineStation('cli-station');
    temps.push(() => s.cleanup());
    await s.services.connectLine({ url });
    const created = await s.services.createOrder({
      profile: 'ioto-demo',
      quantity: 20,
      orderId: 'WO-CLI-LINE',
    });
    await s.jobs.wait(created.job.jobId);
    await s.line.cycle();
    s.orders.setActiveOrder('WO-CLI-LINE');
    await s.line.cycle();
    for (let i = 0; i < 3; i++) await s.provision(1 + i, `SN-CLI-${i}`, 'WO-CLI-LINE');
    await s.line.cycle();
    await s.line.close();

    const csv = await cli('line', 'report', '--order', 'WO-CLI-LINE', '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('station,slot,passed,failed,first_pass_yield,leased,used,left,voided');
    expect(rows).toContain('cli-station,,3,0,100,20,3,17,0');
    expect(rows).toContain('cli-station,2,1,0,100,,,,');
    expect(rows.at(-1)).toBe('(line),,3,0,100,20,3,17,0');

    const json = JSON.parse(
      (await cli('line', 'report', '--order', 'WO-CLI-LINE', '--format', 'json')).stdout,
    );
    expect(json).toMatchObject({
      orderId: 'WO-CLI-LINE',
      quantity: 20,
      totals: { passed: 3, used: 3, left: 17 },
    });

    const leases = await cli('line', 'leases', '--order', 'WO-CLI-LINE');
    expect(leases.stdout).toMatch(
      /WO-CLI-LINE\tcli-station\t\S+\tactive\t20 leased, 3 used, 17 left, 0 voided/,
    );

    // The environment wins over the setting, and says so.
    server.createDatabase('cli_env');
    const env = await runCli(['line', 'status', '--data-dir', dataDir()], {
      LINESIDE_LINE_URL: server.url('cli_env'),
    });
    expect(env.stdout).toMatch(/Connected to .*cli_env \[from LINESIDE_LINE_URL\]/);
  }, 180_000); // nine CLI processes: each starts tsx, slow on a loaded machine
});
