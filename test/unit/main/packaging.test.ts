/**
 * Issue 16: the packaged app ships no source map, and the renderer's build never links one from
 * the files it ships. Reads the real electron-builder.yml and renderer/vite.config.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import viteConfig from '../../../renderer/vite.config';

const root = path.resolve(__dirname, '..', '..', '..');

/** The `files:` list of electron-builder.yml (a plain YAML list of quoted or bare patterns). */
function builderFiles(): string[] {
  const lines = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^files:\s*$/.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const files: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^\s+-\s+'?([^']+?)'?\s*$/.exec(line);
    if (m) files.push(m[1]!);
  }
  return files;
}

/** A minimal glob for electron-builder's patterns (`**`, `*`), enough for the checks below. */
function matches(pattern: string, file: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '<ANY-DIRS>')
    .replace(/\*\*/g, '<ANY>')
    .replace(/\*/g, '[^/]*')
    .replace(/<ANY-DIRS>/g, '(?:.*/)?')
    .replace(/<ANY>/g, '.*');
  return new RegExp(`^${re}$`).test(file);
}

/**
 * Whether electron-builder would pack the file: the last matching pattern wins; the production
 * dependencies in node_modules are packed unless a pattern leaves them out.
 */
function packed(files: string[], file: string): boolean {
  let included = file.startsWith('node_modules/');
  for (const p of files) {
    if (p.startsWith('!')) {
      if (matches(p.slice(1), file)) included = false;
    } else if (matches(p, file)) included = true;
  }
  return included;
}

describe('the packaged app', () => {
  it("leaves every source map out (ours and the packages')", () => {
    const files = builderFiles();
    expect(packed(files, 'dist/renderer/assets/index-abc.js')).toBe(true);
    expect(packed(files, 'dist/electron/main.cjs')).toBe(true);
    for (const map of [
      'dist/renderer/assets/index-abc.js.map',
      'dist/electron/main.cjs.map',
      'dist/electron/preload.cjs.map',
      'node_modules/zod/v4/core/core.js.map',
    ])
      expect(packed(files, map), map).toBe(false);
  });

  it('the renderer build links no source map from the shipped files', () => {
    const sourcemap = viteConfig.build?.sourcemap;
    // 'hidden' writes maps for debugging a build without a sourceMappingURL comment; false none.
    expect(sourcemap === 'hidden' || sourcemap === false || sourcemap === undefined).toBe(true);
  });
});
