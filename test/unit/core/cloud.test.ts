import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { backoffMs, classify, registerBody, registerUrl } from '../../../electron/core/cloud/client';
import { buildRegistration } from '../../../electron/core/cloud/outbox';
import { provisionFile, renderProvision } from '../../../electron/core/cloud/provision';
import { exportReport, reportToCsv } from '../../../electron/core/cloud/report';
import type { CloudReconciliationReport } from '../../../electron/shared/contract';

describe('classifying a register answer (ioto-contracts §4)', () => {
  it('one property is registered; more is claimed, kept whole', () => {
    expect(classify(200, '{"registered":true}')).toEqual({ kind: 'registered', status: 200 });
    const claimed = classify(200, '{"registered":true,"id":"M72DANY8BZ","api":"https://x","token":"t"}');
    expect(claimed).toEqual({
      kind: 'claimed',
      status: 200,
      provision: { registered: true, id: 'M72DANY8BZ', api: 'https://x', token: 't' },
    });
  });

  it('an empty object, a non-object or unreadable 200 is a failed registration, tried again later', () => {
    for (const body of ['{}', '[]', 'null', 'not json'])
      expect(classify(200, body).kind, body).toBe('transient');
  });

  it('4xx is rejected with the builder reason; 408 and 429 are transient; redirects are rejected', () => {
    expect(classify(401, '{"error":"Unknown product token"}')).toEqual({
      kind: 'rejected',
      status: 401,
      reason:
        'The builder refused the product token (HTTP 401): Unknown product token. Check the product token in the profile.',
    });
    expect(classify(400, 'Bad device id')).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/Bad device id/),
    });
    expect(classify(408, '').kind).toBe('transient');
    expect(classify(429, '').kind).toBe('transient');
    expect(classify(302, '')).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/redirects/) });
    expect(classify(503, '{"error":"busy"}')).toEqual({
      kind: 'transient',
      status: 503,
      reason: 'The builder is unavailable (HTTP 503): busy.',
    });
  });

  it('builds the URL and body the agent would: product first, then the device keys in order', () => {
    expect(registerUrl('https://api.admin.embedthis.com/api/').href).toBe(
      'https://api.admin.embedthis.com/api/device/register',
    );
    expect(registerBody('P', { id: 'X', product: 'stale', name: 'n', created: 'c' })).toBe(
      '{"product":"P","id":"X","name":"n","created":"c"}',
    );
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseMs: 1000, maxMs: 8000 };
    expect(backoffMs(1, policy, () => 0)).toBe(500);
    expect(backoffMs(1, policy, () => 1)).toBe(1000);
    expect(backoffMs(3, policy, () => 0)).toBe(2000);
    expect(backoffMs(3, policy, () => 1)).toBe(4000);
    expect(backoffMs(30, policy, () => 1)).toBe(8000);
    const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffMs(2, policy, () => i / 20)));
    expect(spread.size).toBe(20);
  });
});

describe('provision.json5', () => {
  const answer = {
    registered: true,
    id: 'M72DANY8BZ',
    api: 'https://api.example/api',
    token: 'tok',
    accountId: 'A1',
    cloud: 'C1',
    cloudType: 'hosted',
    cloudName: 'Cloud',
    cloudRegion: 'us-east-1',
    somethingElse: 'dropped',
  };

  it('holds the keys the agent reads, in order, with id equal to the claim ID', () => {
    const parsed = JSON5.parse(renderProvision('M72DANY8BZ', answer)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'id',
      'registered',
      'api',
      'token',
      'accountId',
      'cloud',
      'cloudType',
      'cloudName',
      'cloudRegion',
    ]);
    const { id: _i, ...noId } = answer;
    expect((JSON5.parse(renderProvision('M72DANY8BZ', noId)) as { id: string }).id).toBe('M72DANY8BZ');
    expect(provisionFile('M72DANY8BZ', answer)).toMatchObject({
      path: 'config/provision.json5',
      mode: 0o600,
    });
  });

  it('refuses an answer for another device (the agent would deprovision itself)', () => {
    expect(() => renderProvision('M72DANY8C0', answer)).toThrow(/answered for device M72DANY8BZ/);
  });
});

describe('reconciliation export', () => {
  const report: CloudReconciliationReport = {
    orderId: 'WO 7/1',
    generatedAt: '2026-11-21T10:00:00.000Z',
    counts: { pending: 0, registered: 1, claimed: 0, rejected: 1 },
    needsProvisionFile: [],
    units: [
      {
        claimId: 'A',
        status: 'registered',
        reason: null,
        httpStatus: 200,
        attempts: 1,
        queuedAt: 'q',
        answeredAt: 'a',
        builder: 'b',
        accountId: null,
      },
      {
        claimId: 'B',
        status: 'rejected',
        reason: '=HYPERLINK("x"), "quoted"',
        httpStatus: 400,
        attempts: 1,
        queuedAt: 'q',
        answeredAt: 'a',
        builder: 'b',
        accountId: null,
      },
    ],
  };

  it('CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
    const lines = reportToCsv(report).split('\r\n');
    expect(lines[1]).toBe('A,registered,,200,1,q,a,b,');
    expect(lines[2]).toBe('B,rejected,"\'=HYPERLINK(""x""), ""quoted""",400,1,q,a,b,');
  });

  it('names the file after the order', () => {
    expect(exportReport(report, 'json').fileName).toBe('cloud-report-WO_7_1.json');
    expect(JSON.parse(exportReport(report, 'json').content)).toEqual(report);
  });
});

describe('a verified unit becomes a registration', () => {
  it("carries device.json5, the profile's account and cloud (pre-claimed), and the real manufacture time", () => {
    const reg = buildRegistration({
      claimId: 'M72DANY8BZ',
      orderId: 'WO-1',
      deviceJson: { product: 'P', id: 'M72DANY8BZ', name: 'Widget', ports: 2 },
      created: new Date('2026-11-21T10:00:00.000Z'),
      cloud: { builder: 'https://builder.example/api', account: 'ACC', cloud: 'CLD' },
      productRef: 'product_1',
    });
    expect(reg).toEqual({
      claimId: 'M72DANY8BZ',
      orderId: 'WO-1',
      body: {
        product: 'P',
        id: 'M72DANY8BZ',
        name: 'Widget',
        ports: 2,
        account: 'ACC',
        cloud: 'CLD',
        created: '2026-11-21T10:00:00.000Z',
      },
      builderUrl: 'https://builder.example/api',
      productRef: 'product_1',
    });
    const plain = buildRegistration({ ...reg, deviceJson: { id: 'X' }, created: 'c', cloud: null });
    expect(plain.body).toEqual({ id: 'X', created: 'c' });
    expect(plain.builderUrl).toBeNull();
  });
});
