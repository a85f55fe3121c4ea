import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // Maps for debugging a build, never referenced from the shipped files (electron-builder.yml
    // leaves dist/**/*.map out of the package).
    sourcemap: 'hidden',
    target: 'chrome120',
  },
});
