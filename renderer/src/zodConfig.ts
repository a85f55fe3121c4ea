/**
 * Imported first by main.tsx, before any contract schema is built: zod would otherwise probe
 * `new Function` while building an object schema (to compile a faster parser), and the page's CSP
 * (no 'unsafe-eval') reports that probe as a violation even though zod catches it. The forms parse a
 * handful of fields, so the interpreted parser costs nothing noticeable.
 */
import { config } from 'zod';

config({ jitless: true });
