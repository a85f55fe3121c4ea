import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';
import { startBridge, type Bridge } from '../../electron/bridge/server';
import { createTestStation, type TestStation } from '../support/station';

const rendererDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'renderer',
);

export interface AppFixtures {
  /** The running station's core (for seeding and checking what a user would check). */
  station: TestStation;
  /** The app, loaded and ready: specs never learn which transport is behind it. */
  app: Page;
}

export const test = base.extend<AppFixtures & { bridge: Bridge }>({
  station: async ({}, use) => {
    const station = createTestStation({ transport: 'browser' });
    await use(station);
    station.cleanup();
  },
  bridge: async ({ station }, use) => {
    const bridge = await startBridge({
      dispatch: station.dispatch,
      events: station.events,
      staticDir: rendererDir,
    });
    await use(bridge);
    await bridge.close();
  },
  app: async ({ page, bridge }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Anything the strict CSP refuses (an inline style, a connection elsewhere) fails the spec.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
    });
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
      console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));`);
    await page.goto(bridge.appUrl);
    await use(page);
    if (errors.length) throw new Error(`The page threw: ${errors.join('; ')}`);
  },
});

export { expect } from '@playwright/test';
