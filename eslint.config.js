// One lint config. The per-folder import rules enforce the layering that electron/core/README.md and
// electron/shared/README.md describe: core is plain Node, shared imports only zod at runtime, the
// renderer reaches the station only through the contract.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'core is plain Node: Electron belongs in electron/main.' },
            { name: 'react', message: 'core never imports React.' },
            { name: 'react-dom', message: 'core never imports React.' },
          ],
          patterns: [
            {
              group: ['**/main/*', '**/preload/*', '**/bridge/*', '**/cli/*', '**/renderer/**'],
              message: 'core does not know its transports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'core runs in Node' },
        { name: 'document', message: 'core runs in Node' },
      ],
    },
  },
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|zod$)',
              message: 'shared imports nothing at runtime but zod (types from outside only).',
              allowTypeImports: true,
            },
            {
              group: ['../core/*', '../main/*', '../preload/*', '../bridge/*', '../cli/*', '../../*'],
              message: 'shared is the bottom layer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        WebSocket: 'readonly',
        HTMLInputElement: 'readonly',
        HTMLMetaElement: 'readonly',
        KeyboardEvent: 'readonly',
        navigator: 'readonly',
        HTMLElement: 'readonly',
        Blob: 'readonly',
        localStorage: 'readonly',
        sessionStorage: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer has no Node: ask the station through api.',
            })),
            {
              name: 'electron',
              message: 'The renderer never imports Electron: the preload gives it window.lineside.',
            },
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer has no Node: ask the station through api.' },
            {
              group: ['serialport', '@serialport/*', 'better-sqlite3', 'mqtt', 'node-forge', 'ws'],
              message: 'The renderer reaches devices and the store only through api.',
            },
            {
              group: ['**/electron/*', '**/electron/**', '!**/electron/shared', '!**/electron/shared/**'],
              message: 'The renderer may import only electron/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../core/*', '../main/*', '../bridge/*', '../cli/*'],
              message: 'The preload carries the contract only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures declare "no dependencies" with an empty pattern.
    files: ['test/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
