import type Forge from 'node-forge';
import { lazyRequire } from '../lazyModule';

/** node-forge, loaded when a certificate is first built or read (it is slow to load). */
export const forge = lazyRequire<typeof Forge>('node-forge');
