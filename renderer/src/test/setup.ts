// Vitest runs without globals, so Testing Library cannot clean up by itself: unmount after each test.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(cleanup);

// waitFor/findBy give up after 1 s by default: too tight on a loaded 2-core machine. They return as
// soon as the condition holds, so a longer deadline costs nothing when the code works.
configure({ asyncUtilTimeout: 10_000 });
