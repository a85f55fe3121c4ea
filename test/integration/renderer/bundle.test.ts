/**
 * Issue 16 (renderer): the built renderer (dist/renderer, built before the integration tests by
 * scripts/build-if-stale.js) loads xterm and the heavy screens as lazy chunks, not in the entry
 * script the first screen waits for, and no shipped file links a source map.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/cli';

const dist = path.join(repoRoot, 'dist', 'renderer');

function entryScript(): string {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*src="\.\/([^"]+)"/g)].map((m) => m[1]!);
  expect(scripts).toHaveLength(1);
  return scripts[0]!;
}

const assets = () =>
  fs
    .readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ name: `assets/${f}`, text: fs.readFileSync(path.join(dist, 'assets', f), 'utf8') }));

// A string only xterm's own code holds (the textarea it types into).
const XTERM = 'xterm-helper-textarea';

describe('the built renderer', () => {
  it('keeps xterm out of the entry script: it is in a chunk of its own, loaded with the terminal', () => {
    const entry = entryScript();
    const files = assets();
    const entryText = files.find((f) => f.name === entry)!.text;
    expect(entryText.includes(XTERM)).toBe(false);
    const withXterm = files.filter((f) => f.text.includes(XTERM)).map((f) => f.name);
    expect(withXterm).toHaveLength(1);
    expect(withXterm[0]).toMatch(/^assets\/TerminalView-/);
    // Another chunk only names it, to import it when a terminal opens.
    const chunk = path.basename(withXterm[0]!);
    expect(files.some((f) => f.name !== withXterm[0] && f.text.includes(chunk))).toBe(true);
  });

  it('splits the heavy screens into chunks of their own and links no source map', () => {
    const files = assets();
    for (const screen of [
      'DiagnosticsScreen',
      'LabelsScreen',
      'ProfilesScreen',
      'ReportsScreen',
      'ChartCanvas',
    ])
      expect(
        files.some((f) => f.name.startsWith(`assets/${screen}-`)),
        `${screen} is a chunk`,
      ).toBe(true);
    for (const f of files) expect(f.text.includes('sourceMappingURL'), f.name).toBe(false);
  });
});
