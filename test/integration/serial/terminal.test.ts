/** The serial service through the dispatcher: slots stored, a terminal on a real shell over a pty. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalDataEvent, TerminalReport } from '../../../electron/shared/contract';
import { runCli } from '../../support/cli';
import { createShellPty, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

describe('serial service', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function station(): TestStation {
    const s = createTestStation();
    cleanups.push(() => s.cleanup());
    return s;
  }

  it('stores slot bindings, resolves a typed path, and refuses a bad filter naming the field', async () => {
    const s = station();
    const set = await s.dispatch('setSlots', {
      slots: [{ slot: 1, label: 'left', match: { kind: 'path', path: '/tmp/lineside-pty' } }],
    });
    expect(set).toMatchObject({ ok: true, value: [{ path: '/tmp/lineside-pty', problem: null }] });
    expect(await s.dispatch('getSlots', undefined)).toMatchObject({
      ok: true,
      value: [{ binding: { slot: 1 } }],
    });
    expect(s.store.events.recent(1)[0]).toMatchObject({ kind: 'settings.slots-changed' });
    const bad = await s.dispatch('setSlots', {
      slots: [{ slot: 2, match: { kind: 'usb', vendorId: 'xyz' } }],
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('lists ports without throwing', async () => {
    const s = station();
    const r = await s.dispatch('listPorts', undefined);
    expect(r.ok).toBe(true);
  });

  it('a terminal on a pty streams what a real shell prints, and reports the far end going away', async () => {
    const s = station();
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const pty: PtyPair = await createShellPty({ cwd: temp.dir });
    cleanups.push(() => pty.stop());
    const seen: TerminalDataEvent[] = [];
    s.events.subscribe((event, payload) => {
      if (event === 'terminalData') seen.push(payload as TerminalDataEvent);
    });
    const opened = await s.dispatch('openTerminal', { path: pty.a });
    if (!opened.ok) throw new Error(opened.error.message);
    const { sessionId } = opened.value as TerminalReport;
    const text = () =>
      seen
        .filter((e) => e.sessionId === sessionId)
        .map((e) => Buffer.from(e.data, 'base64').toString())
        .join('');
    expect(await s.dispatch('writeTerminal', { sessionId: sessionId, data: 'echo $((6*7))x\r' })).toEqual({
      ok: true,
      value: undefined,
    });
    await expect.poll(text).toContain('42x');
    await pty.stop();
    await expect.poll(() => seen.some((e) => e.closed)).toBe(true);
    const after = await s.dispatch('writeTerminal', { sessionId: sessionId, data: 'x' });
    expect(after).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('logs everything the unit prints to a file under the data directory when asked', async () => {
    const s = station();
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const pty: PtyPair = await createShellPty({ cwd: temp.dir });
    cleanups.push(() => pty.stop());
    const opened = await s.dispatch('openTerminal', { path: pty.a, log: true });
    if (!opened.ok) throw new Error(opened.error.message);
    const { sessionId, logPath } = opened.value as TerminalReport;
    expect(logPath).not.toBeNull();
    expect(path.dirname(logPath!)).toBe(path.join(s.dataDir, 'logs', 'terminal'));
    await s.dispatch('writeTerminal', { sessionId, data: 'echo logged-$((6*7))\r' });
    await expect.poll(() => fs.readFileSync(logPath!, 'utf8')).toContain('logged-42');
    expect(fs.readFileSync(logPath!, 'utf8')).toMatch(/^# Lineside terminal log: .* at 115200 baud/);
    await s.dispatch('closeTerminal', { sessionId });
    const plain = await s.dispatch('openTerminal', { path: pty.a });
    expect(plain).toMatchObject({ ok: true, value: { logPath: null } });
  });

  it('says clearly when a typed port does not exist', async () => {
    const s = station();
    const r = await s.dispatch('openTerminal', { path: '/dev/ttyNOPE9' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'port-unavailable', message: expect.stringMatching(/does not exist/) },
    });
  });
});

describe('lineside ports', () => {
  it('lists ports and what each slot resolves to, as text and as JSON', async () => {
    const s = createTestStation();
    try {
      await s.dispatch('setSlots', {
        slots: [{ slot: 1, match: { kind: 'path', path: '/tmp/pty-slot-1' } }],
      });
      const text = await runCli(['ports', '--data-dir', s.dataDir]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/\d+ port\(s\)/);
      expect(text.stdout).toContain('slot 1: /tmp/pty-slot-1');
      const json = await runCli(['ports', '--json', '--data-dir', s.dataDir]);
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: true,
        value: { slots: [{ path: '/tmp/pty-slot-1' }] },
      });
    } finally {
      s.cleanup();
    }
  });
});
