import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../../support/station';

const TOKEN = '01H4R15D3478JD26YDYK408XE6';
let station: TestStation | null = null;
afterEach(() => {
  station?.cleanup();
  station = null;
});

async function call<T>(s: TestStation, op: string, req: unknown): Promise<T> {
  const result = await s.dispatch(op as never, req as never);
  if (!result.ok) throw new Error(`${op}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('profiles edited in the app', () => {
  it('opens a shipped profile with its token sealed, never in the text or any answer', async () => {
    station = createTestStation();
    const draft = await call<{ text: string; product: { ref: string } }>(station, 'openProfileDraft', {
      name: 'ioto-demo',
    });
    expect(draft.text).not.toContain(TOKEN);
    expect(draft.text).toContain(`product: 'sealed:${draft.product.ref}'`);
    expect(station.secrets.reveal(draft.product.ref)).toBe(TOKEN);
    const check = await call<Record<string, unknown>>(station, 'checkProfileDraft', {
      text: draft.text,
      name: 'my-gw',
    });
    expect(check).toMatchObject({ valid: true, problems: [], ids: { entropyBits: 50 } });
    expect(JSON.stringify(check)).not.toContain(TOKEN);
    expect(check.preview).toContain(`product: "01H4${'•'.repeat(18)}8XE6"`);
  });

  it('reports a problem at its line and column, and a typed token as a problem', async () => {
    station = createTestStation();
    const draft = await call<{ text: string }>(station, 'openProfileDraft', { name: 'ioto-demo' });
    const broken = draft.text.replace('length: 10,', 'length: 6,');
    const line = broken.split('\n').findIndex((l) => l.includes('length: 6')) + 1;
    const check = await call<{ valid: boolean; problems: { line: number; message: string }[] }>(
      station,
      'checkProfileDraft',
      { text: broken },
    );
    expect(check.valid).toBe(false);
    expect(check.problems).toEqual([
      expect.objectContaining({ line, message: expect.stringContaining('30.0 bits of entropy') }),
    ]);
    const typed = draft.text.replace(/'sealed:[^']+'/, `'${TOKEN}'`);
    const t = await call<{ problems: { message: string }[] }>(station, 'checkProfileDraft', { text: typed });
    expect(t.problems.map((p) => p.message)).toEqual([
      'A product token is never typed into the profile text.',
    ]);
  });

  it('saves a new profile with the real token; a profile used by an order is never changed in place', async () => {
    station = createTestStation();
    const draft = await call<{ text: string }>(station, 'openProfileDraft', { name: 'ioto-demo' });
    const first = await call<{ name: string; file: string; hash: string }>(station, 'saveProfileDraft', {
      name: 'my-gw',
      text: draft.text.replace("name: 'Ioto Demo'", "name: 'My Gateway'"),
    });
    expect(first.name).toBe('my-gw');
    expect(first.file).toBe(path.join(station.dataDir, 'profiles', 'my-gw.json5'));
    const written = fs.readFileSync(first.file, 'utf8');
    expect(written).toContain(`product: '${TOKEN}'`);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    expect(station.profiles.getValid('my-gw').hash).toBe(first.hash);

    await call(station, 'createOrder', { profile: 'my-gw', quantity: 3, orderId: 'WO-ED' });
    const again = await call<{ text: string }>(station, 'openProfileDraft', { name: 'my-gw' });
    const edited = again.text.replace("model: 'DEMO-1'", "model: 'DEMO-2'");
    const check = await call<{ diff: { against: { why: string }; lines: { op: string; text: string }[] } }>(
      station,
      'checkProfileDraft',
      { text: edited, name: 'my-gw' },
    );
    expect(check.diff.against.why).toBe('order');
    expect(check.diff.lines.filter((l) => l.op !== ' ')).toEqual([
      expect.objectContaining({ op: '-', text: "  model: 'DEMO-1'," }),
      expect.objectContaining({ op: '+', text: "  model: 'DEMO-2'," }),
    ]);
    const second = await call<{ name: string; file: string; hash: string; keptInPlace: unknown }>(
      station,
      'saveProfileDraft',
      { name: 'my-gw', text: edited },
    );
    expect(second.name).toBe(`my-gw-${second.hash.slice(0, 8)}`);
    expect(second.keptInPlace).toMatchObject({ name: 'my-gw', hash: first.hash, orders: 1 });
    expect(fs.readFileSync(first.file, 'utf8')).toBe(written);
    expect(fs.readFileSync(second.file, 'utf8')).toContain("model: 'DEMO-2'");
    expect(station.profiles.getValid(second.name).profile.model).toBe('DEMO-2');
    // Every saved version is also kept by its hash.
    const kept = fs.readdirSync(path.join(station.dataDir, 'profiles', 'versions')).sort();
    expect(kept).toEqual(
      [`my-gw@${first.hash.slice(0, 12)}.json5`, `${second.name}@${second.hash.slice(0, 12)}.json5`].sort(),
    );
  });

  it('refuses to save over a shipped profile, and an invalid draft', async () => {
    station = createTestStation();
    const draft = await call<{ text: string }>(station, 'openProfileDraft', { name: 'ioto-demo' });
    const shipped = await station.dispatch('saveProfileDraft', { name: 'ioto-demo', text: draft.text });
    expect(shipped).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const invalid = await station.dispatch('saveProfileDraft', { name: 'x', text: '{ product: ' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(fs.existsSync(path.join(station.dataDir, 'profiles', 'x.json5'))).toBe(false);
  });
});
