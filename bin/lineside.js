#!/usr/bin/env node
// The lineside CLI runs the TypeScript sources directly through tsx (no build step for scripts).
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
