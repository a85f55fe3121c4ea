import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentType, contentTypeOf, mediaTypeOf, MIME } from '../../../electron/shared/mime';

const electronDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../electron');

describe('the MIME table', () => {
  it('names a file by its extension, whatever its case; unknown files are bytes', () => {
    expect(mediaTypeOf('/srv/renderer/index.html')).toBe('text/html');
    expect(mediaTypeOf('assets/app-1a2b.JS')).toBe('text/javascript');
    expect(mediaTypeOf('shift-2026-11-21.csv')).toBe('text/csv');
    expect(mediaTypeOf('report.pdf')).toBe('application/pdf');
    expect(mediaTypeOf('app.js.map')).toBe('application/json');
    expect(mediaTypeOf('font.woff2')).toBe('font/woff2');
    expect(mediaTypeOf('firmware.bin')).toBe('application/octet-stream');
    expect(mediaTypeOf('Makefile')).toBe('application/octet-stream');
  });

  it('says UTF-8 for text and leaves JSON and binary types bare', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType(MIME.text)).toBe('text/plain; charset=utf-8');
    expect(contentType(MIME.json)).toBe('application/json');
    expect(contentTypeOf('logo.png')).toBe('image/png');
  });

  it('is the only place in electron/ that spells a media type', () => {
    const spelled: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && file !== path.join(electronDir, 'shared', 'mime.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          if (/['"`](text|application|image|font)\/[a-z0-9.+-]+/.test(text))
            spelled.push(path.relative(electronDir, file));
        }
      }
    };
    walk(electronDir);
    expect(spelled).toEqual([]);
  });
});
