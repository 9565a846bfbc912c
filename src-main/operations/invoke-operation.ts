import { z } from 'zod';
import {
  fieldsOf,
  operations,
  ServiceError,
  type OperationDef,
  type CallerContext,
  type OperationHandlers,
  type OperationName,
  type OperationOutput,
  type ParsedInput,
} from '../../src-shared/contract';
import { EngineError, type FailureKind } from '../engine/errors';
import { compileJsonWriter, type JsonWriter } from './json-writer';
import type { JsonAnswers } from './json-answers';

/** Raw input as an adapter received it: HTTP query strings, path params, a parsed JSON body, an IPC argument. */
export interface RawInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  if_match?: string;
}

export const isOperationName = (name: unknown): name is OperationName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);

export { fieldsOf };

const isEmptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

function parsePart(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) {
    // an adapter may always pass an empty object (no path params, no query, `{}` as body)
    if (value !== undefined && !isEmptyObject(value)) {
      throw new ServiceError(
        400,
        `This operation takes no ${where === 'body' ? 'request body' : where === 'query' ? 'query parameters' : 'path parameters'}.`,
      );
    }
    return undefined;
  }
  const result = schema.safeParse(value ?? (where === 'query' || where === 'params' ? {} : undefined));
  if (!result.success) {
    const fields = fieldsOf(result.error, where);
    const names = Object.keys(fields).join(', ');
    throw new ServiceError(
      400,
      `Invalid ${where === 'body' ? 'request body' : where === 'query' ? 'query parameters' : 'path'}: ${names}.`,
      fields,
    );
  }
  return result.data;
}

/** An operation's raw input through its schemas: the parsed input, or a ServiceError 400 naming each bad field. */
export function parseOperationInput<N extends OperationName>(name: N, raw: RawInput): ParsedInput<N> {
  const op = operations[name] as (typeof operations)[OperationName];
  return {
    params: parsePart('params' in op ? op.params : undefined, raw.params, 'params'),
    query: parsePart('query' in op ? op.query : undefined, raw.query, 'query'),
    body: parsePart('body' in op ? op.body : undefined, raw.body, 'body'),
    if_match: 'ifMatch' in op && op.ifMatch ? raw.if_match : undefined,
  } as ParsedInput<N>;
}

/**
 * The one way any adapter (HTTP route, IPC handler) runs an operation: parse the input with the operation's schemas,
 * call the shared implementation, and send the answer through the output schema so unlisted fields never leave.
 * Expected failures throw `ServiceError`; anything else is a bug. Synchronous when the handler is (most reads), so
 * the HTTP hot path does not pay for promises it does not need.
 */
export function runOperation<N extends OperationName>(
  handlers: OperationHandlers,
  name: N,
  raw: RawInput,
  caller: CallerContext,
): OperationOutput<N> | Promise<OperationOutput<N>> {
  const op = operations[name] as (typeof operations)[OperationName];
  const input = parseOperationInput(name, raw);
  return handled(name, handlers, input, caller, (o) => op.output.parse(o) as OperationOutput<N>);
}

/** each operation's output writer, compiled from its output schema on first use */
const writers = new Map<OperationName, JsonWriter>();
const writerOf = (name: OperationName): JsonWriter => {
  let w = writers.get(name);
  if (!w) writers.set(name, (w = compileJsonWriter((operations[name] as OperationDef).output)));
  return w;
};

/**
 * `runOperation` for an adapter that sends JSON (the HTTP server): the answer comes back as its JSON text, checked
 * against the output schema in place by a writer compiled from it (json-writer.ts) instead of parsed into a copy and
 * then serialised. The same guarantee at the edge: unlisted fields never leave, a value of the wrong type is a bug.
 * `answers` has the reads answered as JSON text from the start (json-answers.ts).
 */
export function runOperationAsJson<N extends OperationName>(
  handlers: OperationHandlers,
  name: N,
  raw: RawInput,
  caller: CallerContext,
  answers?: JsonAnswers,
): string | Promise<string> {
  const input = parseOperationInput(name, raw);
  const answer = answers?.[name] as ((i: ParsedInput<N>, c: CallerContext) => string) | undefined;
  if (answer) {
    try {
      return answer(input, caller);
    } catch (e) {
      throw failureOf(name, e);
    }
  }
  const write = writerOf(name);
  return handled(name, handlers, input, caller, (o) => write(o) as string);
}

/** the handler's answer through `done`, now or once it settles (no promise for a synchronous one); a failure as failureOf says */
function handled<N extends OperationName, R>(
  name: N,
  handlers: OperationHandlers,
  input: ParsedInput<N>,
  caller: CallerContext,
  done: (output: OperationOutput<N>) => R,
): R | Promise<R> {
  const handler = handlers[name] as (i: ParsedInput<N>, c: CallerContext) => Promise<OperationOutput<N>> | OperationOutput<N>;
  let output: Promise<OperationOutput<N>> | OperationOutput<N>;
  try {
    output = handler(input, caller);
  } catch (e) {
    throw failureOf(name, e);
  }
  if (output instanceof Promise)
    return output.then(done, (e) => {
      throw failureOf(name, e);
    });
  return done(output);
}

/**
 * A failure as the caller gets it: an engine failure with its status. Under BOTDESK_STRICT_STATUSES=1 (the tests) a
 * status the operation does not declare (OperationDef.errors) is turned into a bug, so no answer goes undocumented.
 */
function failureOf(name: OperationName, e: unknown): unknown {
  const failure = asServiceError(e);
  if (!(failure instanceof ServiceError) || failure.status === 400 || process.env.BOTDESK_STRICT_STATUSES !== '1') return failure;
  const declared = (operations[name] as OperationDef).errors ?? {};
  return failure.status in declared
    ? failure
    : new Error(`${name} answered ${failure.status}, which its operation does not declare: ${failure.message}`);
}

/** the one place an engine failure gets its status: a broken rule 400, a state that forbids it 409, nothing there 404 */
const STATUS_OF: Record<FailureKind, 400 | 409 | 404> = { invalid: 400, conflict: 409, not_found: 404 };
export function asServiceError(e: unknown): unknown {
  return e instanceof EngineError ? new ServiceError(STATUS_OF[e.kind], e.message, e.fields) : e;
}

/** `runOperation`, always as a promise (errors included). */
export async function invokeOperation<N extends OperationName>(
  handlers: OperationHandlers,
  name: N,
  raw: RawInput,
  caller: CallerContext,
): Promise<OperationOutput<N>> {
  return runOperation(handlers, name, raw, caller);
}
