import { defineConfig } from '@playwright/test';

/**
 * `npm run test:electron`: the real Electron app under Playwright's Electron support. Needs
 * Electron's binary, which machines without access to its download host do not have; the runner
 * script (scripts/test-electron.js) says so plainly there. Not part of `npm test`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
