import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test as base } from './fixtures';
import { createFakeDevice, renderTestFiles, setDeviceFaults } from '../support/fakeDevice';
import { createTestStation, seedUnits, type TestStation } from '../support/station';
import { makeTempDir } from '../support/tempDir';

// The page's globals, for the functions evaluated in the browser (specs compile without DOM types).
interface Box {
  scrollWidth: number;
  clientWidth: number;
  parentElement: Box | null;
}
declare const document: { documentElement: Box; querySelector(selector: string): Box | null };
declare function getComputedStyle(element: Box): { backgroundColor: string; color: string; fontSize: string };

const ORDER = 'WO-EVERY';
const IDS = ['V000000001', 'V000000002', 'V000000003', 'V000000004', 'V000000005'];
const SCREENS = ['station', 'orders', 'devices', 'labels', 'cloud', 'diagnostics', 'profiles', 'settings'];
const shots = path.resolve('.test-output', 'screens');

const test = base.extend<{ devices: string }>({
  devices: async ({}, use) => {
    const temp = makeTempDir('lineside-fake-');
    await use(temp.dir);
    temp.cleanup();
  },
  station: async ({ devices }, use) => {
    const { openSession } = createFakeDevice({ dir: devices });
    const station: TestStation = createTestStation({
      transport: 'browser',
      device: { openSession, renderFiles: renderTestFiles },
    });
    seedUnits(station, IDS, 'reserved', ORDER);
    station.services.configureStation({
      activeOrderId: ORDER,
      slotCount: 4,
      ports: { '1': 'fix-1', '2': 'fix-2', '3': 'fix-3', '4': 'fix-4' },
    });
    await use(station);
    station.cleanup();
  },
});

/** Whether anything makes the page or its main area scroll sideways. */
async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const main = document.querySelector('main')!;
    return {
      page: doc.scrollWidth - doc.clientWidth,
      main: main.scrollWidth - main.clientWidth,
    };
  });
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`every screen fits ${size.width}×${size.height} without sideways scrolling`, async ({
    app,
    station,
  }) => {
    // A unit that failed and one with a long reason, so real cards are on the Station screen.
    station.store.db
      .prepare("UPDATE units SET serial = 'SN-EVERY-0001-LONG-SERIAL' WHERE claim_id = ?")
      .run(IDS[0]);
    await app.setViewportSize(size);
    fs.mkdirSync(shots, { recursive: true });
    for (const screen of SCREENS) {
      await app.goto(app.url().replace(/#.*$/, '') + `#/${screen}`);
      await expect(app.locator('main h1').first()).toBeVisible();
      await app.screenshot({ path: path.join(shots, `${screen}-${size.width}x${size.height}.png`) });
      expect(await horizontalOverflow(app), screen).toEqual({ page: 0, main: 0 });
    }
    const navWidth = await app
      .getByRole('navigation', { name: 'Screens' })
      .evaluate((n: Box) => n.clientWidth);
    if (size.width <= 1280) expect(navWidth).toBeLessThan(100);
    else expect(navWidth).toBeGreaterThan(200);
    // Collapsed, every screen is still reachable by name and by Alt+N.
    await expect(app.getByRole('link', { name: /Diagnostics/ })).toBeVisible();
  });
}

test('the light theme follows the system, and Settings can override it', async ({ app }) => {
  const bg = () => app.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await app.emulateMedia({ colorScheme: 'dark' });
  expect(await bg()).toBe('rgb(15, 20, 25)');
  await app.emulateMedia({ colorScheme: 'light' });
  expect(await bg()).toBe('rgb(244, 246, 248)');
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  await app.getByLabel('Theme').selectOption('dark');
  expect(await bg()).toBe('rgb(15, 20, 25)');
  await app.reload();
  expect(await bg()).toBe('rgb(15, 20, 25)');
  await app.getByLabel('Theme').selectOption('system');
  expect(await bg()).toBe('rgb(244, 246, 248)');
});

test('the page has a favicon', async ({ app, bridge }) => {
  const href = await app.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const res = await app.request.get(new URL(href!, bridge.url + '/').toString());
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/svg+xml');
  expect(await res.text()).toContain('<svg');
});

/** WCAG relative-luminance contrast of two computed CSS colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test("a failed step's red label reads at 4.5:1 or better in both themes", async ({ app, devices }) => {
  setDeviceFaults(devices, 'fix-1', { verify: 'mismatch' });
  await app.keyboard.type('SN-RED', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await expect(slot1.getByRole('alert')).toContainText('FAIL');
  const label = slot1.locator('.step-failed .step-name').first();
  await expect(label).toBeVisible();
  for (const scheme of ['dark', 'light'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    const { fg, bg } = await label.evaluate((el: Box) => {
      let node: Box | null = el;
      let background = 'rgba(0, 0, 0, 0)';
      while (node && /rgba\(0, 0, 0, 0\)|transparent/.test(background)) {
        background = getComputedStyle(node).backgroundColor;
        node = node.parentElement;
      }
      return { fg: getComputedStyle(el).color, bg: background };
    });
    expect(contrast(fg, bg), `${scheme}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  }
});

test('Settings keeps what the user typed when the stored values arrive late', async ({ app, station }) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await app.route('**/api/getStationSettings', async (route) => {
    await gate;
    await route.continue();
  });
  await app.goto(app.url().replace(/#.*$/, '') + '#/settings');
  await app.getByLabel('Station name').fill('Bench 9');
  release();
  // The late answer has arrived once the operator field shows the stored operator.
  await expect(app.getByLabel('Operator')).toHaveValue('unassigned');
  await expect(app.getByLabel('Station name')).toHaveValue('Bench 9');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect((await station.services.getStationSettings()).stationName).toBe('Bench 9');
});

test("Devices finds units by serial, state and order, hides reserved IDs, and shows a unit's history as a timeline", async ({
  app,
  station,
  devices,
}) => {
  setDeviceFaults(devices, 'fix-2', { verify: 'mismatch' });
  await app.keyboard.type('SN-GOOD-1', { delay: 5 });
  await app.keyboard.press('Enter');
  await expect(app.getByRole('article', { name: 'Slot 1' }).getByRole('status')).toContainText('PASS');
  await app.getByRole('article', { name: 'Slot 2' }).click();
  await app.keyboard.type('SN-BAD-2', { delay: 5 });
  await app.keyboard.press('Enter');
  await expect(app.getByRole('article', { name: 'Slot 2' }).getByRole('alert')).toContainText('FAIL');

  await app.keyboard.press('Alt+3');
  const rows = app.getByRole('table', { name: 'Units' }).locator('tbody tr');
  // Three IDs are only reserved: hidden until asked for.
  await expect(rows).toHaveCount(2);
  await app.getByLabel('Show reserved IDs').check();
  await expect(rows).toHaveCount(5);
  await app.getByLabel('Show reserved IDs').uncheck();
  const search = app.getByLabel('Search claim ID, serial, state or order');
  await search.fill('sn-bad');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('SN-BAD-2');
  await search.fill('failed');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('failed');
  await search.fill(ORDER.toLowerCase());
  await expect(rows).toHaveCount(2);
  await search.fill('');
  await app.getByLabel('State', { exact: true }).selectOption('verified');
  await expect(rows).toHaveCount(1);

  await rows.first().click();
  const timeline = app.getByRole('list', { name: 'History' });
  const events = timeline.getByRole('listitem');
  const kinds = station.store.events.forUnit(IDS[0]!).map((e) => e.kind);
  await expect(events).toHaveCount(kinds.length);
  for (let i = 0; i < kinds.length; i++) await expect(events.nth(i).locator('strong')).toHaveText(kinds[i]!);
  await expect(timeline.locator('.tone-pass')).not.toHaveCount(0);
  await expect(events.last()).toContainText('(engineer)');
});

/** Where each card ends, and whether the page scrolls at all. */
async function cardFit(page: Page) {
  return page.evaluate(`(() => {
    const cards = [...document.querySelectorAll('article.slot')].map((a) => a.getBoundingClientRect().bottom);
    return { cards, viewport: window.innerHeight, scrolled: window.scrollY + document.querySelector('main').scrollTop };
  })()`) as Promise<{ cards: number[]; viewport: number; scrolled: number }>;
}

test('four cards fit 1280×720 and eight fit 1920×1080; PASS and FAIL flood the card; the claim ID is 48 px or more', async ({
  app,
  station,
  devices,
}) => {
  await app.setViewportSize({ width: 1280, height: 720 });
  setDeviceFaults(devices, 'fix-2', { verify: 'mismatch' });
  await app.keyboard.type('SN-FIT-1', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot1 = app.getByRole('article', { name: 'Slot 1' });
  await expect(slot1.getByRole('status')).toContainText('PASS');
  await app.getByRole('article', { name: 'Slot 2' }).click();
  await app.keyboard.type('SN-FIT-2', { delay: 5 });
  await app.keyboard.press('Enter');
  const slot2 = app.getByRole('article', { name: 'Slot 2' });
  await expect(slot2.getByRole('alert')).toContainText('FAIL');

  const fit = await cardFit(app);
  expect(fit.cards).toHaveLength(4);
  for (const bottom of fit.cards) expect(bottom).toBeLessThanOrEqual(fit.viewport);
  // Seen without scrolling (the engineer's rework form may sit below the cards).
  expect(fit.scrolled).toBe(0);
  await app.screenshot({ path: path.join(shots, 'station-4-slots-1280x720.png') });

  const style = (loc: typeof slot1, prop: 'backgroundColor' | 'fontSize') =>
    loc.evaluate(
      (el: Box, p: string) => (getComputedStyle(el) as unknown as Record<string, string>)[p]!,
      prop,
    );
  const idle = await style(app.getByRole('article', { name: 'Slot 3' }), 'backgroundColor');
  const pass = await style(slot1, 'backgroundColor');
  const fail = await style(slot2, 'backgroundColor');
  expect(new Set([idle, pass, fail]).size).toBe(3);
  // Green and red: the dominant channel of each flood.
  const rgb = (c: string) => c.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
  expect(rgb(pass)[1]).toBeGreaterThan(rgb(pass)[0]);
  expect(rgb(fail)[0]).toBeGreaterThan(rgb(fail)[1]);
  expect(parseFloat(await style(slot1.getByTestId('slot-1-claim'), 'fontSize'))).toBeGreaterThanOrEqual(48);
  // The whole claim ID fits its card (it may break between its halves, never outside the card).
  const claimBox = (await slot1.getByTestId('slot-1-claim').boundingBox())!;
  const cardBox = (await slot1.boundingBox())!;
  expect(claimBox.x + claimBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);

  await station.services.configureStation({
    slotCount: 8,
    ports: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [String(i + 1), `fix-${i + 1}`])),
  });
  await app.setViewportSize({ width: 1920, height: 1080 });
  await app.reload();
  await expect(app.getByRole('article')).toHaveCount(8);
  const eight = await cardFit(app);
  for (const bottom of eight.cards) expect(bottom).toBeLessThanOrEqual(eight.viewport);
  expect(eight.scrolled).toBe(0);
  await app.screenshot({ path: path.join(shots, 'station-8-slots-1920x1080.png') });
});

test('a card never says READY when the station has no work order', async ({ app, station }) => {
  await expect(app.getByRole('article', { name: 'Slot 1' })).toContainText('READY');
  await station.services.configureStation({ activeOrderId: null });
  await app.reload();
  const cards = app.getByRole('article');
  await expect(cards).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await expect(cards.nth(i)).toContainText('NO WORK ORDER');
    await expect(cards.nth(i).locator('.verdict strong')).not.toHaveText('READY');
  }
});
