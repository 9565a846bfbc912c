// Every route of the OpenAPI document the server serves, fuzzed with fast-check: random and boundary bodies, query
// strings, path ids, headers, methods and content types, with the control token, the read token, a wrong one and none.
// Each answer must be a status the document lists for that route (or the 403/405 of the guards in front of every
// route), in the documented JSON shape; a 4xx must change nothing (the caller's snapshot before and after).
// Used by tests/proof/route-fuzz.test.ts (the suite's short form) and bench/proof.bench.ts (the long form).
import fc from 'fast-check';
import { ErrorBodySchema, operations, SessionResponseSchema, type OperationName } from '../../src-shared/contract';
import { fromSchema, type JsonSchema } from './schema-arbitrary';
import { rawCall, type RawOutcome } from './raw-http';

interface OpenApiOperation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface RouteSpec {
  method: string;
  /** /api/v1/bot/positions/{id}/close */
  template: string;
  operationId: string;
  statuses: Set<number>;
  op: OpenApiOperation;
}

export function routeSpecs(doc: OpenApiDocument): RouteSpec[] {
  const specs: RouteSpec[] = [];
  for (const [template, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods))
      specs.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        statuses: new Set(Object.keys(op.responses).map(Number)),
        op,
      });
  return specs;
}

type Auth = 'control' | 'read' | 'none' | 'wrong' | 'malformed';
type Guard = 'ok' | 'foreign-host' | 'no-host' | 'foreign-origin' | 'own-origin';

export interface FuzzRequest {
  method: string;
  path: string;
  auth: Auth;
  guard: Guard;
  contentType: string | null;
  ifMatch: string | null;
  payload: string | null;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  '',
];
const QUERY_NOISE = ['', '%ZZ', '%00', '+', '%E0%A4%A', 'a=1&a=2', '=', '&&', 'token=x', '%F0%9F%99%82=%F0%9F%99%82', 'limit=%EF%BC%91'];
const PATH_IDS = ['1', '2', '0', '-1', 'local', 'abc', '999999999999999999999', '1e3', '%E0%A4%A', '%2F', '..', 'x'.repeat(41), '%00'];

/** percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it) */
const encode = (v: string) =>
  [...Buffer.from(v, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
/** `arb` one time in `n`, else null (fc.option's freq is the other way round: null one time in freq) */
const rarely = <T>(arb: fc.Arbitrary<T>, n: number) =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const encodeQuery = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');

/** raw body texts beside the schema-shaped ones: the JSON a parser meets in the wild */
const oddBodies = fc.constantFrom(
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '1',
  '"x"',
  '{',
  '{"a":',
  'NaN',
  '{"x": NaN}',
  '{"size_pct": 1e999}',
  '{"__proto__": {"polluted": 1}}',
  '{"constructor": {"prototype": {"polluted": 1}}}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
  '\ufeff{}',
  '{"a":1,"a":2}',
  JSON.stringify({ token: 'x'.repeat(900_000) }),
);

/**
 * The template with its path ids: the listed ones as written (some are deliberately malformed escapes), anything
 * generated percent-encoded, even when it starts with '%' (sent raw, a space or non-ASCII byte after it is no HTTP
 * request at all: the client refuses to send it).
 */
export function fillPath(template: string, names: string[], values: string[]): string {
  let path = template;
  names.forEach((name, i) => (path = path.replace(`{${name}}`, PATH_IDS.includes(values[i]) ? values[i] : encode(values[i]))));
  return path;
}

export function requestArb(spec: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const params = spec.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = spec.op.requestBody?.content['application/json'].schema;
  const pathArb = fc
    .tuple(...pathParams.map((p) => fc.oneof(fc.constantFrom(...PATH_IDS), fromSchema(p.schema).map(String))))
    .map((values) =>
      fillPath(
        spec.template,
        pathParams.map((p) => p.name),
        values,
      ),
    );
  const queryArb = fc
    .tuple(
      fc.tuple(
        ...queryParams.map((p) =>
          fc.option(
            fromSchema(p.schema).map((v) => [p.name, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
            { freq: 2 },
          ),
        ),
      ),
      rarely(fc.constantFrom(...QUERY_NOISE), 6),
      rarely(fc.tuple(fc.constantFrom('bogus', 'limit', 'from', 'cursor'), fc.string({ maxLength: 6 })), 7),
    )
    .map(([known, noise, extra]) => {
      const pairs = known.filter((x): x is [string, string] => x !== null);
      if (extra) pairs.push(extra);
      const text = [encodeQuery(pairs), noise ?? ''].filter(Boolean).join('&');
      return text ? `?${text}` : '';
    });
  const payloadArb = fc.oneof(
    { weight: 6, arbitrary: fromSchema(bodySchema).map((v) => (v === undefined ? '' : JSON.stringify(v))) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: oddBodies },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
  const noisy = fc.record({
    method: fc.oneof({ weight: 9, arbitrary: fc.constant(spec.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    path: fc.tuple(pathArb, queryArb).map(([p, q]) => p + q),
    auth: fc.constantFrom<Auth>('control', 'control', 'control', 'read', 'read', 'none', 'wrong', 'malformed'),
    guard: fc.oneof(
      { weight: 12, arbitrary: fc.constant<Guard>('ok') },
      { weight: 1, arbitrary: fc.constantFrom<Guard>('foreign-host', 'no-host', 'foreign-origin', 'own-origin') },
    ),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      { weight: 2, arbitrary: fc.constantFrom<string | null>(null, ...CONTENT_TYPES) },
    ),
    ifMatch: rarely(fc.constantFrom('1', '0', '999999', 'W/"1"', '*', 'x'.repeat(80)), 6),
    payload: payloadArb,
  });
  // a third of the requests are well-formed, so the accepting paths (and their state changes) are walked too
  const clean = fc.record({
    method: fc.constant(spec.method),
    path: fc
      .tuple(
        fc.tuple(...pathParams.map(() => fc.constantFrom('1', '2', 'local'))),
        fc.tuple(
          ...queryParams.map((p) =>
            fc.option(
              fromSchema(p.schema, 0, true).map((v) => [p.name, String(v)] as [string, string]),
              { freq: 2 },
            ),
          ),
        ),
      )
      .map(([ids, known]) => {
        let path = spec.template;
        pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, ids[i])));
        const query = encodeQuery(known.filter((x): x is [string, string] => x !== null && x[1] !== 'undefined'));
        return query ? `${path}?${query}` : path;
      }),
    auth: fc.constantFrom<Auth>('control', 'control', 'read'),
    guard: fc.constant<Guard>('ok'),
    contentType: fc.constant<string | null>('application/json'),
    ifMatch: fc.constant(null),
    payload: bodySchema
      ? fromSchema(bodySchema, 0, true).map((v) => (v === undefined ? null : JSON.stringify(v)))
      : fc.constant<string | null>(null),
  });
  return fc.oneof({ weight: 1, arbitrary: clean }, { weight: 2, arbitrary: noisy });
}

export interface FuzzTokens {
  control: string;
  read: string | null;
}

/** The statuses this request may be answered with, by the guards and then by the route the server will pick. */
export function allowedStatuses(r: FuzzRequest, specs: RouteSpec[]): { statuses: Set<number>; spec: RouteSpec | null } {
  if (r.guard === 'foreign-host' || r.guard === 'no-host' || r.guard === 'foreign-origin') return { statuses: new Set([403]), spec: null };
  const bare = r.path.split('?')[0];
  // the desktop window's own operations (exchange keys, live limits) are refused over HTTP with a 404 that says so
  if (WINDOW_ONLY.has(`${r.method} ${bare}`)) return { statuses: new Set([404]), spec: null };
  const matching = specs.filter((s) => templateMatches(s.template, bare));
  const spec = matching.find((s) => s.method === r.method) ?? null;
  // a path id the route does not take (an empty or undecodable segment) leaves no route: 404; a method no route has there: 405
  if (!spec) return { statuses: new Set(matching.length ? [405] : [404, 405]), spec: null };
  const statuses = new Set(spec.statuses);
  return { statuses, spec };
}

function templateMatches(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return false;
  return t.every((seg, i) => (seg.startsWith('{') ? p[i] !== '' && decodable(p[i]) : seg === p[i]));
}

const decodable = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

const WINDOW_ONLY = new Set(
  Object.values(operations)
    .filter((op) => 'ipcOnly' in op && op.ipcOnly)
    .map((op) => `${op.method} /api/v1${op.path}`),
);

export interface FuzzFailure {
  route: string;
  request: FuzzRequest;
  outcome: RawOutcome;
  why: string;
}

export interface RouteTally {
  tried: number;
  statuses: Record<number, number>;
}

export interface FuzzTarget {
  host: string;
  port: number;
  tokens(): FuzzTokens;
  /** everything a 4xx must leave alone, comparable with toEqual */
  snapshot(): Promise<unknown>;
  /** after a 2xx: put the bot back in the quiet state the snapshots compare (e.g. stopped), and learn new tokens */
  settle(r: FuzzRequest, spec: RouteSpec | null, body: unknown): Promise<void>;
}

function headersFor(r: FuzzRequest, t: FuzzTarget): Record<string, string> {
  const tokens = t.tokens();
  const h: Record<string, string> = {};
  const own = `127.0.0.1:${t.port}`;
  if (r.guard !== 'no-host') h.Host = r.guard === 'foreign-host' ? `evil.example:${t.port}` : own;
  if (r.guard === 'foreign-origin') h.Origin = 'http://evil.example';
  if (r.guard === 'own-origin') h.Origin = `http://${own}`;
  if (r.auth === 'control') h.Authorization = `Bearer ${tokens.control}`;
  if (r.auth === 'read') h.Authorization = `Bearer ${tokens.read ?? 'no-read-token-configured'}`;
  if (r.auth === 'wrong') h.Authorization = `Bearer ${tokens.control.slice(0, -1)}x`;
  if (r.auth === 'malformed') h.Authorization = `Basic ${Buffer.from(`u:${tokens.control}`).toString('base64')}`;
  if (r.contentType !== null && r.payload !== null) h['Content-Type'] = r.contentType;
  if (r.ifMatch !== null) h['If-Match'] = r.ifMatch;
  return h;
}

/** One request, judged: null when it answered as documented, else why not. */
export async function fuzzOnce(
  t: FuzzTarget,
  specs: RouteSpec[],
  r: FuzzRequest,
): Promise<{ failure: string | null; outcome: RawOutcome }> {
  const { statuses, spec } = allowedStatuses(r, specs);
  const before = await t.snapshot();
  const outcome = await rawCall(
    { host: t.host, port: t.port },
    { method: r.method, path: r.path, headers: headersFor(r, t), payload: r.payload ?? undefined },
  );
  if (!outcome.ok) return { failure: `no answer: ${outcome.error}`, outcome };
  if (!statuses.has(outcome.status))
    return { failure: `status ${outcome.status} is not one the document lists (${[...statuses].join(', ')})`, outcome };
  if (r.method === 'HEAD') return { failure: null, outcome };
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return { failure: `the answer is not JSON: ${outcome.text.slice(0, 80)}`, outcome };
  }
  if (!String(outcome.headers['content-type']).startsWith('application/json'))
    return { failure: `content-type ${outcome.headers['content-type']}`, outcome };
  if (outcome.status === 200 && spec) {
    const schema = spec.operationId === 'createSession' ? SessionResponseSchema : operations[spec.operationId as OperationName].output;
    const parsed = schema.safeParse(body);
    if (!parsed.success) return { failure: `200 off its schema: ${parsed.error.message.slice(0, 300)}`, outcome };
    await t.settle(r, spec, body);
    return { failure: null, outcome };
  }
  const error = ErrorBodySchema.safeParse(body);
  if (!error.success) return { failure: `error answer off the error shape: ${outcome.text.slice(0, 120)}`, outcome };
  if (outcome.status >= 400 && outcome.status < 500) {
    const after = await t.snapshot();
    if (JSON.stringify(after) !== JSON.stringify(before))
      return {
        failure: `a ${outcome.status} changed state:\nbefore ${JSON.stringify(before).slice(0, 600)}\nafter  ${JSON.stringify(after).slice(0, 600)}`,
        outcome,
      };
  }
  return { failure: null, outcome };
}

/** Every route, `runsPerRoute` requests each (fast-check shrinks a failing one to its smallest form). */
export async function fuzzEveryRoute(
  t: FuzzTarget,
  doc: OpenApiDocument,
  o: { runsPerRoute: number; seed?: number },
): Promise<{ tally: Map<string, RouteTally>; failures: FuzzFailure[] }> {
  const specs = routeSpecs(doc);
  const tally = new Map<string, RouteTally>();
  const failures: FuzzFailure[] = [];
  for (const spec of specs) {
    const route = `${spec.method} ${spec.template}`;
    const mine: RouteTally = { tried: 0, statuses: {} };
    tally.set(route, mine);
    let last: FuzzFailure | null = null;
    const result = await fc.check(
      fc.asyncProperty(requestArb(spec), async (r) => {
        let judged: Awaited<ReturnType<typeof fuzzOnce>>;
        try {
          judged = await fuzzOnce(t, specs, r);
        } catch (e) {
          judged = { failure: `the check itself failed: ${(e as Error).stack}`, outcome: { ok: false, error: 'none', ms: 0 } };
        }
        const { failure, outcome } = judged;
        mine.tried++;
        if (outcome.ok) mine.statuses[outcome.status] = (mine.statuses[outcome.status] ?? 0) + 1;
        if (failure) last = { route, request: r, outcome, why: failure };
        return failure === null;
      }),
      { numRuns: o.runsPerRoute, seed: o.seed, endOnFailure: false, maxSkipsPerRun: 10 },
    );
    if (result.failed && last) failures.push(last);
  }
  return { tally, failures };
}

export function formatTally(tally: Map<string, RouteTally>): string {
  const lines = [...tally].map(
    ([route, t]) =>
      `${String(t.tried).padStart(6)}  ${route.padEnd(48)} ${Object.entries(t.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
  );
  const total = [...tally.values()].reduce((a, t) => a + t.tried, 0);
  return `${lines.join('\n')}\n${String(total).padStart(6)}  requests over ${tally.size} routes`;
}
