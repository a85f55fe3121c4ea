import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Hooks and components beside their feature, in a DOM (jsdom), with the api as a test double.
        test: {
          name: 'renderer',
          include: ['renderer/src/**/*.test.tsx', 'renderer/src/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/test/setup.ts'],
          // jsdom and simulated typing are slow on a loaded 2-core machine: 5 s is not enough there.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // expect.poll waits for a condition under a deadline; a loaded 2-core machine needs more
          // than vitest's 1 s default (a pty's far end closing took longer once in a full run).
          expect: { poll: { timeout: 10_000 } },
          // Real ptys, brokers and child processes: keep files apart so timing stays honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
