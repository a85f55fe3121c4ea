// npm test: system packages, typecheck, lint, unit, integration and Playwright end-to-end tests,
// then one closing line "N passed, N failed" summed over every runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureSystemPackages } from './check-system.js';

const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (step) => only.length === 0 || only.includes(step);
const out = '.test-output';
fs.mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args, count) {
  if (!want(name)) return;
  console.log(`\n== ${name}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const run = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  });
  const ok = run.status === 0;
  // Only tests count as tests: a check step (typecheck, lint, build) adds nothing when it passes,
  // and one failure when it fails, so the closing line can never read "0 failed" over a red step.
  // A runner whose report is missing, or that ran no test, is a failure too.
  const counted = count?.();
  let red = !ok;
  if (counted) {
    passed += counted.passed;
    failed += counted.failed;
    if (counted.passed + counted.failed === 0) {
      console.log(`== ${name}: ran no test`);
      red = true;
    }
    if (red && counted.failed === 0) failed += 1;
  } else if (count || red) {
    if (count) console.log(`== ${name}: no report from the runner`);
    red = true;
    failed += 1;
  }
  if (red) failures.push(name);
  console.log(`== ${name}: ${red ? 'FAILED' : 'ok'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function vitestCounts(file) {
  return () => {
    try {
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      return { passed: r.numPassedTests, failed: r.numFailedTests || (r.success ? 0 : 1) };
    } catch {
      return null;
    }
  };
}

function playwrightCounts(file) {
  return () => {
    try {
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected };
    } catch {
      return null;
    }
  };
}

ensureSystemPackages();
const bin = (name) => path.join('node_modules', '.bin', name);
step('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json']);
step('typecheck', bin('tsc'), ['-p', 'tsconfig.renderer.json']);
step('lint', bin('eslint'), ['.', '--max-warnings', '0']);
step('lint', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
// Integration tests run `lineside serve`, which serves the built renderer; e2e drives it.
if (want('integration') || want('e2e')) step('build', process.execPath, ['scripts/build-if-stale.js']);
for (const project of ['unit', 'renderer', 'integration']) {
  const json = path.join(out, `${project}.json`);
  fs.rmSync(json, { force: true });
  step(
    project,
    bin('vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    vitestCounts(json),
  );
}
if (want('e2e')) {
  const json = path.join(out, 'e2e.json');
  fs.rmSync(json, { force: true });
  step('e2e', bin('playwright'), ['test', '-c', 'test/e2e/playwright.config.ts'], playwrightCounts(json));
}

if (failures.length) console.log(`\nFailed steps: ${[...new Set(failures)].join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
