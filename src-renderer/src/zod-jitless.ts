import { z } from 'zod';

// zod compiles fast object parsers with `new Function` unless told not to; its probe for eval is a CSP violation the
// browser reports on every load under our policy (script-src 'self', no 'unsafe-eval'). Imported first by main.tsx,
// before any schema parses.
z.config({ jitless: true });
