import { describe, expect, it } from 'vitest';
import { isFailure } from '../../../electron/core/failure';
import { createAllowList, DEFAULT_ALLOW } from '../../../electron/core/serialization-service/allowList';
import { redactBody } from '../../../electron/core/serialization-service/journal';

describe('allowed source networks', () => {
  it('defaults to loopback only, IPv4-mapped addresses included', () => {
    const list = createAllowList(DEFAULT_ALLOW);
    for (const a of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])
      expect(list.allows(a), a).toBe(true);
    for (const a of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', undefined, 'garbage'])
      expect(list.allows(a), String(a)).toBe(false);
  });

  it('takes CIDR networks and bare hosts', () => {
    const list = createAllowList(['10.1.2.0/24', '192.168.5.7', 'fd00::/8']);
    expect(list.allows('10.1.2.200')).toBe(true);
    expect(list.allows('10.1.3.1')).toBe(false);
    expect(list.allows('192.168.5.7')).toBe(true);
    expect(list.allows('192.168.5.8')).toBe(false);
    expect(list.allows('fd12::1')).toBe(true);
  });

  it('refuses what is not a network, naming the field', () => {
    for (const bad of ['10.0.0.0/33', 'line-3', '::1/129']) {
      let error: unknown;
      try {
        createAllowList([bad]);
      } catch (e) {
        error = e;
      }
      expect(isFailure(error) && error.field, bad).toBe('allow');
    }
  });
});

describe('the journal keeps the body but not the product token', () => {
  it('replaces product with its fingerprint and keeps the rest as sent', () => {
    const out = JSON.parse(
      redactBody('{"product":"01H4R15D3478JD26YDYK408XE6","name":"Widget","test":true}'),
    ) as Record<string, unknown>;
    expect(out).toEqual({
      product: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      name: 'Widget',
      test: true,
    });
    expect(redactBody('product=01H4R15D3478JD26YDYK408XE6 junk')).toBe('product=[redacted] junk');
  });
});
