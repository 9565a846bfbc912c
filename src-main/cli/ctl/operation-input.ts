/**
 * The generic form of every operation: KEY=VALUE pairs become the operation's path params, query and body, by
 * looking each key up in the operation's own zod schemas. A new operation in the table is callable with no code here.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isHttpOperation, operations, type OperationInput, type OperationName } from '../../../src-shared/contract';
import { UsageError } from './errors';

export type InputPlace = 'params' | 'query' | 'body';

export interface InputKey {
  name: string;
  place: InputPlace | 'header';
  description?: string;
}

/** an operation the API serves (the window's own, IPC-only ones are not reachable from a terminal) */
const isOperationName = (name: string): name is OperationName => Object.hasOwn(operations, name) && isHttpOperation(name);

export function operationNamed(name: string): OperationName | null {
  return isOperationName(name) ? name : null;
}

/** The keys of an object schema, seen through `.optional()`, `.default()` and `.transform()`; anything else has no
 * named keys. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | null {
  let s: unknown = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodPipe) s = s.in;
    else break;
  }
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.ZodType>) : null;
}

type InputSchemas = { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType; ifMatch?: boolean };

/** Inputs whose schema is not an object (an array body, say): they cannot be filled from KEY=VALUE pairs. The test
 * suite asserts there are none, so an operation added to the table in such a shape is noticed. */
export function opaqueInputs(name: OperationName): InputPlace[] {
  const op = operations[name] as InputSchemas;
  return (['params', 'query', 'body'] as const).filter((place) => op[place] !== undefined && objectShape(op[place]) === null);
}

/** Every key an operation takes, in path → query → body order (the order a key is looked up in). */
export function operationKeys(name: OperationName): InputKey[] {
  const op = operations[name] as InputSchemas;
  const keys: InputKey[] = [];
  for (const place of ['params', 'query', 'body'] as const) {
    for (const [key, schema] of Object.entries(objectShape(op[place]) ?? {}))
      keys.push({ name: key, place, description: schema.description });
  }
  if (op.ifMatch)
    keys.push({ name: 'if_match', place: 'header', description: 'the config version the change is based on (409 when it moved on)' });
  return keys;
}

/** Contract §8: a value is JSON where it parses as JSON (numbers, booleans, objects), else the string itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Body keys that carry a secret (a token, exchange keys): never taken from the command line itself. */
const SECRET_KEYS = new Set(['token', 'apiKey', 'api_key', 'secret']);

/**
 * A secret's value from `@FILE` or `@-` (standard input), trimmed. Typed out on the command line it would stay in the
 * shell's history and show in `ps` to every user of the machine (docs/contract.md §8: never a token on the command line).
 */
export function secretValue(key: string, value: string, read: (source: string | 0) => string = (src) => readFileSync(src, 'utf8')): string {
  if (!value.startsWith('@') || value.length < 2) {
    throw new UsageError(`${key} is a secret: give it as ${key}=@FILE or ${key}=@- (read from standard input), never on the command line`);
  }
  const source = value === '@-' ? 0 : value.slice(1);
  let text: string;
  try {
    text = read(source);
  } catch (e) {
    throw new UsageError(
      `${key}: cannot read ${source === 0 ? 'standard input' : source} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  return text.trim();
}

/** `key=value` → [key, value]; the value may itself contain `=`. */
export function splitPair(arg: string): [string, string] {
  const at = arg.indexOf('=');
  if (at <= 0) throw new UsageError(`"${arg}" is not KEY=VALUE`);
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/**
 * Builds the typed client's input. Path params and query values stay strings (the server parses them, as it would a
 * URL); body values are parsed as JSON where they parse. Unknown, repeated or missing keys are usage errors.
 */
export function buildInput(name: OperationName, pairs: Array<[string, string]>): OperationInput<OperationName> {
  const keys = operationKeys(name);
  const input: Record<InputPlace, Record<string, unknown>> = { params: {}, query: {}, body: {} };
  let ifMatch: string | undefined;
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    const known = keys.find((k) => k.name === key);
    if (!known) {
      const takes = keys.length ? `it takes ${keys.map((k) => k.name).join(', ')}` : 'it takes no keys';
      throw new UsageError(`${name} has no key "${key}"; ${takes}`);
    }
    if (seen.has(key)) throw new UsageError(`${key} is given twice`);
    seen.add(key);
    if (known.place === 'header') ifMatch = value;
    else if (known.place === 'body') input.body[key] = SECRET_KEYS.has(key) ? secretValue(key, value) : parseValue(value);
    else input[known.place][key] = value;
  }
  const missing = keys.filter((k) => k.place === 'params' && !seen.has(k.name)).map((k) => `${k.name}=…`);
  if (missing.length) throw new UsageError(`${name} needs ${missing.join(' ')}`);

  const op = operations[name] as { params?: unknown; query?: unknown; body?: unknown };
  const result: Record<string, unknown> = {};
  if (op.params) result.params = input.params;
  if (op.query) result.query = input.query;
  if (op.body && Object.keys(input.body).length) result.body = input.body;
  if (ifMatch !== undefined) result.if_match = ifMatch;
  return result as OperationInput<OperationName>;
}
