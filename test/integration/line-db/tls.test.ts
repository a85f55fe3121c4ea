/**
 * The line database over TLS, from the URL: a server certificate signed by the factory's CA is
 * accepted with sslmode=verify-full; a certificate from another CA, or a server without TLS, is
 * refused in one sentence and the station stays alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineStation, type LineStation } from '../../support/lineStation';
import { startPostgres, type PgServer } from '../../support/postgres';
import { makeTempDir } from '../../support/tempDir';
import { makeCa, makeCert } from '../../support/testCerts';

let server: PgServer;
let caFile = '';
let otherCaFile = '';
const temps: (() => void)[] = [];
const stations: LineStation[] = [];

beforeAll(async () => {
  const t = makeTempDir('lineside-pg-tls-');
  temps.push(t.cleanup);
  const ca = makeCa(t.dir, 'line-ca');
  caFile = ca.crt;
  otherCaFile = makeCa(t.dir, 'other-ca').crt;
  const cert = makeCert(t.dir, ca, 'line-db', { cn: '127.0.0.1', san: 'IP:127.0.0.1' });
  server = await startPostgres({ tls: { certFile: cert.crt, keyFile: cert.key } });
  server.createDatabase('tls_line');
});
afterAll(async () => {
  for (const s of stations.splice(0)) {
    await s.line.close();
    s.cleanup();
  }
  await server?.destroy();
  temps.forEach((t) => t());
});

function station(name: string): LineStation {
  const s = createLineStation(name);
  stations.push(s);
  return s;
}

describe('line over TLS', () => {
  it('verify-full with the line CA connects; another CA is refused in one sentence', async () => {
    const good = station('tls-good');
    const ok = await good.services.connectLine({
      url: `${server.url('tls_line')}?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`,
    });
    expect(ok.state).toBe('connected');
    const used = server.psql(
      "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl AND a.application_name = 'lineside'",
    );
    expect(Number(used.trim())).toBeGreaterThan(0);

    const bad = station('tls-bad');
    const refused = await bad.dispatch('connectLine', {
      url: `${server.url('tls_line')}?sslmode=verify-full&sslrootcert=${encodeURIComponent(otherCaFile)}`,
    });
    expect(refused.ok || refused.error).toMatchObject({
      code: 'line-refused',
      message: expect.stringMatching(
        /^The TLS connection to the line database at 127\.0\.0\.1:\d+ failed: check sslmode and the server's certificate in the line URL\.$/,
      ),
    });
    expect(bad.line.status().state).toBe('standalone');
  });
});
