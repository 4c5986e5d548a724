/**
 * Zod compiles fast parsers with `new Function` unless told not to, and probes for it on the first parse: under
 * the lab's Content-Security-Policy (no 'unsafe-eval') that probe is a violation. Jitless parsing is plenty
 * fast for links, imports and saved runs. Imported first by each page's entry, before any schema is used.
 */
import { config } from 'zod';

config({ jitless: true });
