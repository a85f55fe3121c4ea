/**
 * One claim ID, one physical unit, on the Station screen (issue 11): four simulated framed units
 * on socat ptys bound as fixture slots in Settings, the real framed transport, a real order, the
 * global scanner, through the bridge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import JSON5 from 'json5';
import { expect, test as base } from './fixtures';
import { SIM_DEFAULT_SERIAL, createSimOrder, startSimUnit, type SimUnit } from '../support/simLine';
import { createTestStation, type TestStation } from '../support/station';

const ORDER = 'WO-E2E';

const test = base.extend<{ units: SimUnit[] }>({
  units: async ({}, use) => {
    const units: SimUnit[] = [];
    for (let i = 0; i < 4; i++) units.push(await startSimUnit({ serial: SIM_DEFAULT_SERIAL }));
    await use(units);
    for (const u of units) await u.stop();
  },
  station: async ({}, use) => {
    const station: TestStation = createTestStation({ transport: 'browser' });
    await createSimOrder(station, { orderId: ORDER, quantity: 8 });
    station.orders.setActiveOrder(ORDER);
    await use(station);
    station.cleanup();
  },
});

const heldId = (u: SimUnit) => {
  const text = u.deviceJson();
  return text ? (JSON5.parse(text) as { id: string; serial?: string }).id : null;
};

async function scan(app: Page, serial: string) {
  await app.keyboard.type(serial, { delay: 5 });
  await app.keyboard.press('Enter');
}

test('slots bound in Settings: four quick scans land on four units, a fifth says which slot to unplug', async ({
  app,
  station,
  units,
}) => {
  // The fixture slots, bound by port path in Settings only.
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  for (const [i, u] of units.entries()) {
    await app.getByRole('button', { name: 'Add slot' }).click();
    await app.getByLabel('Bound by').nth(i).selectOption('path');
    await app.getByLabel(`Slot ${i + 1} match`).fill(u.sim.path);
  }
  await app.getByRole('button', { name: 'Apply slots' }).click();
  await expect(app.getByTestId('slot-4-state')).toHaveText(units[3]!.sim.path);

  await app.goto(app.url().replace(/#.*$/, '') + '#/station');
  const card = (n: number) => app.getByRole('article', { name: `Slot ${n}` });
  for (let n = 1; n <= 4; n++) await expect(card(n)).toContainText(units[n - 1]!.sim.path);
  await expect(card(1).locator('.verdict')).toContainText('READY');

  // Four scans, one right after another (each unit takes a fraction of a second).
  for (const serial of ['SN-1001', 'SN-1002', 'SN-1003', 'SN-1004']) await scan(app, serial);
  for (let n = 1; n <= 4; n++)
    await expect(card(n).getByRole('status')).toContainText('PASS', { timeout: 30_000 });

  const ids: string[] = [];
  for (let n = 1; n <= 4; n++) {
    const id = (await card(n).getByTestId(`slot-${n}-claim`).textContent())!.trim();
    ids.push(id);
    // Each simulator's own device.json5 holds its own ID.
    expect(heldId(units[n - 1]!)).toBe(id);
    expect(station.store.units.get(id)).toMatchObject({ state: 'verified', serial: `SN-100${n}` });
  }
  expect(new Set(ids).size).toBe(4);

  // A fifth scan: every slot holds a passed unit.
  await scan(app, 'SN-1005');
  await expect(app.getByRole('alert').filter({ hasText: 'Every slot has a unit' })).toHaveText(
    /Every slot has a unit: unplug slot [1-4] \(it passed\) and scan again\./,
  );
  expect(station.store.units.get(ids[0]!)?.serial).toBe('SN-1001');
  expect(station.store.db.prepare("SELECT count(*) FROM units WHERE state <> 'reserved'").pluck().get()).toBe(
    4,
  );

  // Cleared slots 2 and 3 are free again; number key 3 picks slot 3 (its passed unit is still in
  // it), and scanning that unit's serial writes nothing.
  const before = units[2]!.deviceJson();
  await card(2).getByRole('button', { name: 'Clear' }).click();
  await card(3).getByRole('button', { name: 'Clear' }).click();
  await expect(card(3).locator('.verdict')).toContainText('READY');
  await app.keyboard.press('2');
  await expect(card(2)).toContainText('next scan');
  await expect(card(3)).not.toContainText('next scan');
  await app.keyboard.press('3');
  await expect(card(3)).toContainText('next scan');
  await expect(card(2)).not.toContainText('next scan');
  await scan(app, 'SN-1003');
  await expect(card(3).getByRole('status')).toContainText(`Already provisioned as ${ids[2]}`, {
    timeout: 30_000,
  });
  await expect(card(3).getByRole('button', { name: 'Reprint label…' })).toBeVisible();
  expect(units[2]!.deviceJson()).toBe(before);
  await expect(card(2).locator('.verdict')).toContainText('READY');
});

test('a second unit reporting the same serial is stopped with the conflict message and gets no ID', async ({
  app,
  station,
}) => {
  const a = await startSimUnit({ serial: 'SN-SAME' });
  const b = await startSimUnit({ serial: 'SN-SAME' });
  try {
    await station.services.configureStation({ ports: { '1': a.sim.path, '2': b.sim.path } });
    await app.reload();
    const card = (n: number) => app.getByRole('article', { name: `Slot ${n}` });
    await card(1).getByRole('button', { name: 'Start without scan' }).click();
    await expect(card(1).getByRole('status')).toContainText('PASS', { timeout: 30_000 });
    await card(2).getByRole('button', { name: 'Start without scan' }).click();
    const alert = card(2).getByRole('alert');
    await expect(alert).toContainText('STOP', { timeout: 30_000 });
    await expect(alert).toContainText('Serial SN-SAME already belongs to verified unit');
    await expect(alert).toContainText('Set this unit aside and call the engineer.');
    await expect(card(2).getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await expect(card(2).getByTestId('slot-2-claim')).toHaveText('—');
    expect(b.deviceJson()).toBeNull();
    const refused = station.store.events.recent(100).find((e) => e.kind === 'station.refused');
    expect(refused).toMatchObject({ data: expect.objectContaining({ slot: 2, reason: 'duplicate-serial' }) });
    expect(refused?.station).toBeTruthy();
    expect(refused?.operator).toBe('unassigned');
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('cards with no port bound say so instead of READY', async ({ app }) => {
  const card = app.getByRole('article', { name: 'Slot 1' });
  await expect(card.locator('.verdict')).toContainText('NO PORT BOUND');
  await expect(card).toContainText('Slot 1 has no port bound: bind it in Settings → Fixture slots.');
  await expect(card.getByRole('button', { name: 'Start without scan' })).toBeDisabled();
});

test('a wiped unit is stopped on a scan; the engineer\'s "Rework unit" writes it again with its own claim ID', async ({
  app,
  station,
}) => {
  const u = await startSimUnit({ serial: 'SN-WIPE' });
  try {
    await station.services.configureStation({ ports: { '1': u.sim.path } });
    await app.reload();
    const card = app.getByRole('article', { name: 'Slot 1' });
    await card.getByRole('button', { name: 'Start without scan' }).click();
    await expect(card.getByRole('status')).toContainText('PASS', { timeout: 30_000 });
    const claimId = (await card.getByTestId('slot-1-claim').textContent())!.trim();
    fs.rmSync(path.join(u.dir, 'state', 'config', 'device.json5'));

    await card.getByRole('button', { name: 'Clear' }).click();
    await card.getByRole('button', { name: 'Start without scan' }).click();
    await expect(card.getByRole('alert')).toContainText('STOP', { timeout: 30_000 });
    await expect(card.getByRole('alert')).toContainText('a wiped unit');
    expect(u.deviceJson()).toBeNull();

    await card.getByRole('button', { name: 'Clear' }).click();
    const rework = app.getByRole('form', { name: 'Rework a unit' });
    await rework.getByLabel('Claim ID').fill(claimId);
    await rework.getByLabel('Slot').selectOption('1');
    await rework.getByRole('button', { name: 'Rework unit' }).click();
    await expect(card.getByRole('status')).toContainText('PASS', { timeout: 30_000 });
    await expect(card).toContainText('Same claim ID (rework)');
    expect(heldId(u)).toBe(claimId);
    expect(
      station.store.db.prepare("SELECT count(*) FROM units WHERE state <> 'reserved'").pluck().get(),
    ).toBe(1);

    // A hold left by a process that is gone is shown, so the engineer knows the unit can be resumed.
    station.store.db
      .prepare(
        `INSERT INTO unit_leases (claim_id, station, host, pid, slot, port, taken_at, renewed_at, expires_at)
         VALUES (?, 'bench-9', ?, 2147483646, 3, '/dev/ttyUSB9', ?, ?, ?)`,
      )
      .run(claimId, os.hostname(), new Date().toISOString(), new Date().toISOString(), Date.now() + 60_000);
    await app.reload();
    await expect(app.getByRole('region', { name: 'Abandoned holds' })).toContainText(
      `${claimId} held by bench-9 (process 2147483646, slot 3) · process gone`,
    );
  } finally {
    await u.stop();
  }
});
