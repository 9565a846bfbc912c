// fast-check values from the JSON Schemas of the OpenAPI document: mostly near-valid (each field at and beyond its
// bounds), with wrong types, unknown keys and missing required keys mixed in, so both the accepting and the refusing
// paths of every operation are walked.
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

/** values any field may receive instead of its own type */
/**
 * A string of `n` characters at a length edge. Not one repeated letter: a token the fuzz sets (a read token at its
 * maximum length) becomes a secret the suite-wide scan looks for, and 512 x's matched other tests' padding of x's.
 */
const filler = (n: number): string => Array.from({ length: n }, (_, i) => FILLER_CHARS[(i * 7 + 3) % FILLER_CHARS.length]).join('');
const FILLER_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const hostile = fc.constantFrom<unknown>(
  null,
  '',
  ' ',
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  {},
  'NaN',
  'Infinity',
  '1e999',
  '\u0000',
  '\ud800',
  'é'.repeat(70),
  '<script>',
  "'; DROP TABLE trades; --",
  '../../etc/passwd',
  filler(600),
);

const numberArb = (s: JsonSchema, integer: boolean, clean = false): fc.Arbitrary<unknown> => {
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  const edges: number[] = [0, -0, 1, -1];
  for (const b of [lo, hi]) if (b !== undefined) edges.push(b, b - 1, b + 1, b - 0.5, b + 0.5, b - 1e-9, b + 1e-9);
  const inside = integer
    ? fc.integer({ min: Math.ceil(lo ?? -1e6), max: Math.floor(hi ?? 1e6) })
    : fc.double({ min: lo ?? -1e6, max: hi ?? 1e6, noNaN: true });
  if (clean) return inside;
  return fc.oneof(
    { weight: 3, arbitrary: inside },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    { weight: 1, arbitrary: integer ? fc.integer() : fc.double({ noNaN: true, noDefaultInfinity: true }) },
  );
};

const stringArb = (s: JsonSchema, clean = false): fc.Arbitrary<unknown> => {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 600);
  if (clean && s.pattern && /\\d/.test(s.pattern)) return fc.constantFrom('1', '2', '5', '50', '100');
  if (clean && s.pattern && /a-z/.test(s.pattern)) return fc.constantFrom('local', 'bot-1');
  const options: fc.Arbitrary<unknown>[] = [fc.string({ minLength: min, maxLength: Math.min(max, 40) })];
  // a pattern of digits (ids, limits, times): numbers written as text, at the edges too
  if (s.pattern && /\\d/.test(s.pattern))
    options.push(
      fc.constantFrom('0', '1', '2', '100', '999', '1000', '1001', '5000', '5001', '999999999999999', '9'.repeat(30), '-1', '1.5'),
    );
  if (s.pattern && /a-z/.test(s.pattern)) options.push(fc.stringMatching(/^[a-z0-9_-]{1,41}$/));
  if (s.format === 'date-time' || /date|time/i.test(JSON.stringify(s)))
    options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  options.push(fc.constantFrom(filler(min), filler(Math.max(0, min - 1)), filler(max), filler(max + 1)));
  options.push(fc.constantFrom('http://127.0.0.1:1', 'https://example.invalid', 'http://10.255.255.1:9', 'ftp://x', 'http://[::1]:1/'));
  return fc.oneof(...options);
};

/** a value shaped by `s`, or close to it */
export function fromSchema(s: JsonSchema | undefined, depth = 0, clean = false): fc.Arbitrary<unknown> {
  if (!s || depth > 5) return clean ? fc.constant(undefined) : fc.jsonValue({ maxDepth: 2 });
  const own = ownArb(s, depth, clean);
  return clean ? own : fc.oneof({ weight: 8, arbitrary: own }, { weight: 1, arbitrary: hostile });
}

function ownArb(s: JsonSchema, depth: number, clean: boolean): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, depth + 1, clean)));
  if (s.allOf?.length) return fromSchema(s.allOf[0], depth + 1, clean);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringArb(s, clean);
    case 'integer':
      return numberArb(s, true, clean);
    case 'number':
      return numberArb(s, false, clean);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(s.items, depth + 1, clean), { maxLength: 4 });
    case 'object':
      return objectArb(s, depth, clean);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArb(s: JsonSchema, depth: number, clean: boolean): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const names = Object.keys(props);
  const required = new Set(s.required ?? []);
  if (!names.length)
    return fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }));
  const fields = Object.fromEntries(names.map((n) => [n, fromSchema(props[n], depth + 1, clean)]));
  return fc.record(fields, { requiredKeys: [] }).chain((picked) =>
    fc
      .record({
        // usually every required key is there; sometimes one is dropped
        dropRequired: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        extra: fc.option(fc.tuple(fc.constantFrom('bogus', '__proto__', 'constructor', 'prototype', ''), fc.jsonValue({ maxDepth: 1 })), {
          freq: 8,
        }),
        fill: fc.record(Object.fromEntries([...required].map((n) => [n, fromSchema(props[n], depth + 1, clean)]))),
      })
      .map(({ dropRequired, extra, fill }) => {
        const o: Record<string, unknown> = { ...fill, ...picked };
        if (dropRequired && required.size) delete o[[...required][0]];
        if (extra) Object.defineProperty(o, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
        return o;
      }),
  );
}
