import type { z } from 'zod';

/** A value that does not fit the schema it is written through: a bug in the implementation (an HTTP 500), never the caller's. */
export class OutputMismatchError extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly expected: string,
  ) {
    super(`output does not match its schema at ${path.length ? path.join('.') : '(root)'}: expected ${expected}`);
  }
}

/** the JSON text of a value, or undefined where JSON.stringify leaves the value out (an absent optional field) */
export type JsonWriter = (value: unknown) => string | undefined;

/**
 * One schema node, compiled: `check` throws where the parse would fail, and otherwise says whether the value is
 * already exactly what the parse would return (same fields, same order, nothing extra), so that JSON.stringify of the
 * value itself gives the answer's text; `write` writes a valid value that is not (fields to leave out or reorder).
 */
interface Node {
  check(v: unknown): boolean;
  write(v: unknown): string | undefined;
}

interface ZodInternals {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string; value?: unknown; inclusive?: boolean } } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, string | number>;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodInternals; optout?: string } })._zod;

const mismatch = (expected: string): never => {
  throw new OutputMismatchError([], expected);
};

/**
 * Compiles an output schema into a writer giving the same text as JSON.stringify(schema.parse(value)) — fields in the
 * schema's order, unlisted fields left out, a loose object's extra fields after its own — and an OutputMismatchError
 * where the parse would fail. The value is checked in place (a typeof or a comparison per field, nothing copied) and,
 * when it already has exactly the answer's shape (the usual case: the implementations build their answers so), written
 * by the engine's own JSON.stringify; the parse would first copy every object. Parts of a schema it does not model
 * (refinements, unions, transforms) are checked and written by zod itself, so the answer never depends on what this
 * compiler understands. The edge check of docs/contract.md §3, at a fraction of the cost.
 */
export function compileJsonWriter(schema: z.ZodType): JsonWriter {
  const node = compile(schema);
  return (v) => (node.check(v) ? JSON.stringify(v) : node.write(v));
}

function compile(schema: z.ZodType): Node {
  const def = defOf(schema).def;
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'number':
      return numberNode(checks) ?? zodNode(schema);
    case 'string':
      return checks.length ? zodNode(schema) : leaf((v) => typeof v === 'string', 'a string');
    case 'boolean':
      return leaf((v) => typeof v === 'boolean', 'a boolean');
    case 'null':
      return leaf((v) => v === null, 'null');
    case 'unknown':
    case 'any':
      return { check: () => true, write: (v) => JSON.stringify(v) };
    case 'literal':
    case 'enum': {
      const allowed = new Set(def.type === 'literal' ? def.values! : Object.values(def.entries!));
      return leaf((v) => allowed.has(v), `one of ${[...allowed].map((a) => JSON.stringify(a)).join(', ')}`);
    }
    case 'nullable': {
      const inner = compile(def.innerType!);
      return { check: (v) => v === null || inner.check(v), write: (v) => (v === null ? 'null' : inner.write(v)) };
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return { check: (v) => v === undefined || inner.check(v), write: (v) => (v === undefined ? undefined : inner.write(v)) };
    }
    case 'array':
      return arrayNode(compile(def.element!));
    case 'object':
      return checks.length ? zodNode(schema) : objectNode(def);
    default:
      return zodNode(schema);
  }
}

/** a value written as JSON.stringify writes it, once `ok` holds */
function leaf(ok: (v: unknown) => boolean, expected: string): Node {
  return { check: (v) => ok(v) || mismatch(expected), write: (v) => JSON.stringify(v) };
}

/** plain numbers, safe integers and bounds; null (zod checks it) for any other check */
function numberNode(checks: NonNullable<ZodInternals['checks']>): Node | null {
  let integer = false;
  let min = -Infinity;
  let minInclusive = true;
  let max = Infinity;
  let maxInclusive = true;
  for (const { _zod } of checks) {
    const c = _zod.def;
    if (c.check === 'number_format' && c.format === 'safeint') integer = true;
    else if (c.check === 'greater_than' && typeof c.value === 'number') [min, minInclusive] = [c.value, c.inclusive ?? false];
    else if (c.check === 'less_than' && typeof c.value === 'number') [max, maxInclusive] = [c.value, c.inclusive ?? false];
    else return null;
  }
  const bounded = min !== -Infinity || max !== Infinity;
  const expected = `a finite ${integer ? 'safe integer' : 'number'}${bounded ? ` in ${minInclusive ? '[' : '('}${min}, ${max}${maxInclusive ? ']' : ')'}` : ''}`;
  // zod's number refuses NaN and ±Infinity as well (JSON would write them as null)
  return leaf(
    (v) =>
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!integer || Number.isSafeInteger(v)) &&
      (!bounded || ((minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max))),
    expected,
  );
}

function arrayNode(element: Node): Node {
  return {
    check(v) {
      if (!Array.isArray(v)) return mismatch('an array');
      let exact = true;
      for (let i = 0; i < v.length; i++) {
        try {
          if (!element.check(v[i])) exact = false;
        } catch (e) {
          throw within(e, i);
        }
      }
      return exact;
    },
    write(v) {
      const items = v as unknown[];
      let out = '[';
      for (let i = 0; i < items.length; i++) out += (i ? ',' : '') + (element.write(items[i]) ?? 'null');
      return out + ']';
    },
  };
}

function objectNode(def: ZodInternals): Node {
  const fields = Object.entries(def.shape!).map(([key, schema]) => ({
    key,
    prefix: JSON.stringify(key) + ':',
    node: compile(schema),
    // a field that is not optional must be there, even when its schema takes undefined (z.unknown())
    required: defOf(schema).optout !== 'optional',
  }));
  const own = new Set(fields.map((f) => f.key));
  // z.object strips unlisted fields, z.strictObject refuses them, z.looseObject keeps them (after its own fields)
  const extra = def.catchall === undefined ? 'strip' : defOf(def.catchall).def.type === 'never' ? 'refuse' : 'keep';
  const keepExtra = extra === 'keep' ? compile(def.catchall!) : null;
  return {
    check(v) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return mismatch('an object');
      const o = v as Record<string, unknown>;
      let exact = true;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        const x = o[f.key];
        try {
          if (!f.node.check(x)) exact = false;
        } catch (e) {
          throw within(e, f.key);
        }
        if (x === undefined && f.required && !(f.key in o)) throw new OutputMismatchError([f.key], 'a value');
      }
      // exact when the object's own keys are the schema's fields in order (an absent optional one skipped), then for
      // a loose object its extra fields (none of them an array index, which any object lists first)
      let next = 0;
      for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) {
          exact = false;
          continue;
        }
        if (own.has(key)) {
          while (next < fields.length && fields[next].key !== key) next++;
          if (next === fields.length) exact = false; // out of order, or after an extra field
          next++;
          continue;
        }
        if (extra === 'refuse') throw new OutputMismatchError([key], 'no such field');
        if (extra === 'strip' || key === PROTO) exact = false;
        else {
          try {
            if (!keepExtra!.check(o[key])) exact = false;
          } catch (e) {
            throw within(e, key);
          }
          if (next < fields.length || isArrayIndex(key)) exact = false;
          next = fields.length;
        }
      }
      return exact;
    },
    write(v) {
      const o = v as Record<string, unknown>;
      let out = '';
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        const text = f.node.write(o[f.key]);
        if (text !== undefined) out += (out ? ',' : '') + f.prefix + text;
      }
      if (extra !== 'keep') return '{' + out + '}';
      // the parse builds a new object: as in any object, keys that are array indices come first, in ascending order
      // (for...in lists them so), then the rest in order
      let indexed = '';
      let named = '';
      for (const key in o) {
        if (own.has(key) || key === PROTO || !Object.prototype.hasOwnProperty.call(o, key)) continue;
        const text = keepExtra!.write(o[key]);
        if (text === undefined) continue;
        const entry = JSON.stringify(key) + ':' + text;
        if (isArrayIndex(key)) indexed += (indexed ? ',' : '') + entry;
        else named += ',' + entry;
      }
      if (indexed && out) indexed += ',';
      return '{' + indexed + out + (out || indexed ? named : named.slice(1)) + '}';
    },
  };
}

/**
 * An own key named __proto__ (JSON.parse makes one) is dropped by the parse of a loose object, whose copy assigns it
 * and so sets the copy's prototype instead: the writer leaves it out the same way.
 */
const PROTO = '__proto__';

const isArrayIndex = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;

/** what this compiler does not model is left to zod: checked by its own parse, written from what the parse returns */
function zodNode(schema: z.ZodType): Node {
  const parse = (v: unknown) => {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw new OutputMismatchError(
      issue?.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) ?? [],
      `what zod accepts: ${issue?.message}`,
    );
  };
  // exact when the parse hands the value back as it is (a string that passed its pattern); a copy is written from itself
  return { check: (v) => Object.is(parse(v), v), write: (v) => JSON.stringify(parse(v)) };
}

/** the failure of a field, as seen from the object or array holding it */
function within(e: unknown, key: string | number): unknown {
  if (e instanceof OutputMismatchError) return new OutputMismatchError([key, ...e.path], e.expected);
  return e;
}
