// Vitest runs without globals, so Testing Library cannot clean up by itself: unmount after each test.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(cleanup);
