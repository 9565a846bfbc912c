import { isLoopbackHost } from '../../src-shared/loopback';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  operations,
  ServiceError,
  SessionRequestSchema,
  type OperationHandlers,
  type OperationName,
  type OperationOutput,
} from '../../src-shared/contract';
import { fieldsOf, runOperationAsJson } from '../operations/invoke-operation';
import type { JsonAnswers } from '../operations/json-answers';
import type { EventFeed } from '../engine/events/event-bus';
import type { Logger } from '../engine/log/logger';
import { BodyError, readJsonBody } from './json-body';
import { sendError, sendJson, sendJsonText } from './http-responses';
import { AnswerCache, type AnswerVersions } from './answer-cache';
import { LoginCodes } from './login-codes';
import { renderMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { OriginPolicy } from './request-guards';
import { API_PREFIX, RouteTable } from './routes';
import { DASHBOARD_CSP, StaticFiles } from './static-files';
import { TokenAuth, type TokenScope } from './token-auth';
import { RequestAuthenticator } from './request-auth';
import { RequestCounts } from './request-counts';
import { attachEventStream, EVENT_STREAM_PATH, FLEET_STREAM_PATH, type UpgradeVerdict } from './event-stream';
import { ReadParking, type TradingBusySignal } from './read-parking';

export interface ApiServerOptions {
  handlers: OperationHandlers;
  events: EventFeed;
  logger: Logger;
  controlToken: string;
  readToken?: string;
  /** tokens that can be replaced while serving (rotation); built from controlToken/readToken when absent */
  auth?: TokenAuth;
  host: string;
  /** 0 = any free port */
  port: number;
  allowRemote?: boolean;
  /** the built dashboard; not served when absent */
  staticDir?: string;
  /** failed authentications per client before 429 (default 10 a minute) */
  authFailures?: { max: number; windowMs: number };
  /** event-stream slow-consumer limit and ping interval (tests shorten them) */
  stream?: { maxBufferedBytes?: number; pingIntervalMs?: number };
  /** read operations whose serialized answers may be reused until their version moves (see AnswerCache) */
  answerVersions?: AnswerVersions;
  /** the fleet manager's events, streamed at /ws/fleet with the same authentication as /ws/events */
  fleetEvents?: EventFeed;
  /** more Prometheus text for /metrics (the notification sinks' counts) */
  extraMetrics?: () => string;
  /** reads answered straight as JSON text (history pages); the others go through their handler */
  jsonAnswers?: JsonAnswers;
  /** how long a client may take over its headers and over its whole request (tests shorten them; defaults 10 s, 30 s) */
  timeouts?: { headersMs?: number; requestMs?: number };
  /**
   * the bot's order path (Bot.orderPath): while it is busy, read operations wait and are answered when it ends, at
   * most `maxParkMs` later (read-parking.ts; default 1 s). Without it reads are always answered at once.
   */
  orderPath?: TradingBusySignal;
  maxParkMs?: number;
}

export interface ApiServer {
  url: string;
  port: number;
  /** a fresh one-time dashboard link (`/#login=CODE`) */
  loginUrl: string;
  issueLoginUrl(): string;
  server: Server;
  /** reads held back during the order path (null when the server was given no order path) */
  readParking: Pick<ReadParking, 'waiting' | 'parkedTotal' | 'expiredPaths'> | null;
  close(): Promise<void>;
}

const API_VERSION = '1.0.0';
/** the parsed input of an operation that takes none */
const NO_INPUT = { params: undefined, query: undefined, body: undefined };
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' };

/**
 * The management HTTP + WebSocket server (docs/contract.md §3–§6): every operation of the shared table at its path,
 * behind Host/Origin checks, bearer tokens with scopes, body limits and a failed-auth limiter.
 */
export async function createApiServer(o: ApiServerOptions): Promise<ApiServer> {
  if (!isLoopbackHost(o.host) && !o.allowRemote) {
    throw new Error(`refusing to bind the API to ${o.host}: not a loopback address (set BOT_API_ALLOW_REMOTE=1 to allow)`);
  }
  const routes = new RouteTable();
  const auth = o.auth ?? new TokenAuth(o.controlToken, o.readToken);
  const loginCodes = new LoginCodes();
  const files = o.staticDir ? new StaticFiles(resolve(o.staticDir)) : null;
  const answers = new AnswerCache(o.answerVersions ?? {});
  let openApiText: string | null = null;
  let policy: OriginPolicy | null = null;
  const parking = o.orderPath ? new ReadParking({ signal: o.orderPath, maxParkMs: o.maxParkMs }) : null;

  const requests = new RequestCounts();
  const count = (route: string, status: number) => requests.count(route, status);
  const gate = new RequestAuthenticator(auth, o.authFailures, count);
  const callers = {
    public: { actor: 'api:public', scope: 'public' },
    read: { actor: 'api:read', scope: 'read' },
    control: { actor: 'api:control', scope: 'control' },
  } as const;

  function handleOperation(
    req: IncomingMessage,
    res: ServerResponse,
    name: OperationName,
    params: Record<string, string>,
    search: string,
  ): void | Promise<void> {
    const op = operations[name];
    let scope: TokenScope | 'public' = 'public';
    if (op.scope !== 'public') {
      const s = gate.authenticate(req, res, name);
      if (!s) return;
      if (op.scope === 'control' && s === 'read') {
        count(name, 403);
        return sendError(res, 403, 'This token is read-only; control operations need the control token.');
      }
      scope = s;
    }
    // trading before monitoring: reads wait while the bot is on its order path (docs/contract.md §3); control never
    // does, and a read-only client's connection is not read from meanwhile (read-parking.ts)
    if (parking?.holding && op.method === 'GET' && op.scope === 'read') {
      const later = () => void (req.socket.destroyed || guarded(req, res, () => answerOperation(req, res, name, params, search, scope)));
      return parking.park(later, scope === 'read' ? req.socket : null);
    }
    return answerOperation(req, res, name, params, search, scope);
  }

  /** an authenticated operation's answer */
  function answerOperation(
    req: IncomingMessage,
    res: ServerResponse,
    name: OperationName,
    params: Record<string, string>,
    search: string,
    scope: TokenScope | 'public',
  ): void | Promise<void> {
    const op = operations[name];
    const query = search ? Object.fromEntries(new URLSearchParams(search)) : undefined;
    const caller = callers[scope];
    // answers arrive as JSON text, checked against the output schema as they are written (runOperationAsJson)
    const answer = (text: string) => {
      count(name, 200);
      sendJsonText(res, 200, text);
    };
    // reads stay synchronous end to end; only bodies and async operations wait
    if (op.method === 'GET') {
      const version = answers.versionOf(name);
      const key = version === undefined ? '' : `${name}?${search}`;
      const cached = version === undefined ? undefined : answers.get(key, version);
      if (cached !== undefined) {
        count(name, 200);
        return sendJsonText(res, 200, cached);
      }
      const text = runOperationAsJson(o.handlers, name, { params, query }, caller, o.jsonAnswers);
      if (version !== undefined && !(text instanceof Promise)) {
        const body = Buffer.from(text);
        answers.set(key, version, body);
        count(name, 200);
        return sendJsonText(res, 200, body);
      }
      return text instanceof Promise ? text.then(answer) : answer(text);
    }
    return readJsonBody(req)
      .then((body) => runOperationAsJson(o.handlers, name, { params, query, body, if_match: req.headers['if-match'] }, caller))
      .then(answer);
  }

  async function handleSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const locked = gate.lockout(req);
    if (locked) return gate.sendLockout(res, locked);
    const parsed = SessionRequestSchema.safeParse(await readJsonBody(req));
    if (!parsed.success)
      return sendError(res, 400, 'Send {"code": "<the code after #login= in the link>"}.', undefined, fieldsOf(parsed.error, 'body'));
    if (!loginCodes.redeem(parsed.data.code)) {
      gate.failed(req);
      return sendError(
        res,
        401,
        'This login link is not valid: it was already used or has expired. Restart the server or use the token from the api-token file.',
      );
    }
    o.logger.info('dashboard login with a one-time link');
    sendJson(res, 200, { token: auth.currentControlToken, scope: 'control' });
  }

  function handleMetrics(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    if (!gate.authenticate(req, res, 'metrics')) return;
    const caller = { actor: 'api:read' };
    // the two implementations directly: both read kept figures only (no trade scan), synchronously, and the text picks
    // its numbers by name, so there is no JSON output to filter through the schemas
    const status = o.handlers.getStatus(NO_INPUT, caller);
    const stats = o.handlers.getStats(NO_INPUT, caller);
    if (status instanceof Promise || stats instanceof Promise) {
      return Promise.all([status, stats]).then(([a, b]) => sendMetrics(res, a, b));
    }
    sendMetrics(res, status, stats);
  }

  function sendMetrics(res: ServerResponse, status: OperationOutput<'getStatus'>, stats: OperationOutput<'getStats'>): void {
    const text = renderMetrics({
      status,
      stats,
      requests: requests.byKey,
      wsClients: stream.clientCount(),
      eventsPublished: o.events.lastSeq,
      readParking: parking ?? undefined,
    });
    count('metrics', 200);
    const extra = o.extraMetrics?.() ?? '';
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text + extra);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    const file = files?.get(path);
    if (!file) {
      count('static', 404);
      return sendError(res, 404, files ? `Nothing at ${path}.` : 'The dashboard is not built on this server (run npm run build).');
    }
    count('static', 200);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(file.type.startsWith('text/html') ? { 'Content-Security-Policy': DASHBOARD_CSP } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q + 1);
    const refused = policy!.check(req);
    if (refused) {
      count('guard', 403);
      return sendError(res, 403, `Forbidden: ${refused}.`);
    }
    const method = req.method ?? 'GET';
    if (path.startsWith(API_PREFIX + '/') || path === API_PREFIX) {
      const match = routes.match(method, path);
      if (match) return handleOperation(req, res, match.name, match.params, search);
      if (path === `${API_PREFIX}/session` && method === 'POST') return handleSession(req, res);
      if (path === `${API_PREFIX}/openapi.json` && method === 'GET') {
        if (!gate.authenticate(req, res, 'openapi')) return;
        openApiText ??= JSON.stringify(buildOpenApiDocument(API_VERSION));
        count('openapi', 200);
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
        return void res.end(openApiText);
      }
      if (routes.windowOnlyOperation(method, path)) {
        count('unknown', 404);
        return sendError(
          res,
          404,
          `${method} ${path} is not served over the management API: exchange keys and live limits are set in the desktop app's window only (live limits also by the BOT_LIVE_* variables), and the API cannot touch them.`,
        );
      }
      // the two routes served beside the operation table answer a wrong method as the table's routes do
      const allowed =
        path === `${API_PREFIX}/session` ? ['POST'] : path === `${API_PREFIX}/openapi.json` ? ['GET'] : routes.allowedMethods(path);
      if (allowed.length) {
        count('unknown', 405);
        return sendError(res, 405, `${method} is not supported on ${path}; use ${allowed.join(' or ')}.`, { Allow: allowed.join(', ') });
      }
      count('unknown', 404);
      return sendError(res, 404, `No route ${method} ${path}; see GET ${API_PREFIX}/openapi.json.`);
    }
    if (path === '/metrics' && method === 'GET') return handleMetrics(req, res);
    if (method === 'GET' || method === 'HEAD') return handleStatic(req, res, path);
    count('unknown', 404);
    sendError(res, 404, `No route ${method} ${path}.`);
  }

  const fail = (req: IncomingMessage, res: ServerResponse, e: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (e instanceof ServiceError) return sendError(res, e.status, e.message, undefined, e.fields);
    // no `Connection: close` on a 413: the rest of the body is read and discarded (json-body.ts), then the connection is
    // reusable; closing at once would reset a client still sending and it would never see this answer
    if (e instanceof BodyError) return sendError(res, e.status, e.message);
    o.logger.error('request failed', {
      method: req.method,
      path: (req.url ?? '').split('?')[0],
      error: e instanceof Error ? e.message : String(e),
    });
    sendError(res, 500, 'Internal error; the bot logged the details.');
  };
  /** a request's answer, its failures answered too (thrown or rejected) */
  const guarded = (
    req: IncomingMessage,
    res: ServerResponse,
    answer: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  ) => {
    try {
      const pending = answer(req, res);
      if (pending) pending.catch((e: unknown) => fail(req, res, e));
    } catch (e) {
      fail(req, res, e);
    }
  };
  const headersTimeout = o.timeouts?.headersMs ?? 10_000;
  const server = createServer(
    // Node checks both timeouts only every connectionsCheckingInterval (30 s by default): checked often enough, a
    // slow client is cut within a second of its deadline rather than up to 30 s after it
    {
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
      headersTimeout,
      requestTimeout: o.timeouts?.requestMs ?? 30_000,
      // a request without Host gets the guard's JSON 403 (docs/security.md), not Node's bare 400
      requireHostHeader: false,
    },
    (req, res) => guarded(req, res, handle),
  );
  // slow-header and slow-body clients are cut off (the timeouts above) rather than holding sockets open
  server.keepAliveTimeout = 5_000;
  parking?.watch(server, (socket) => gate.scopeOn(socket) === 'read');

  const authorizeStream = (req: IncomingMessage, token: string | null): UpgradeVerdict => {
    const refused = policy!.check(req);
    return refused ? { ok: false, status: 403, message: `Forbidden: ${refused}.` } : gate.authorizeStream(req, token);
  };
  const streamOptions = {
    server,
    maxBufferedBytes: o.stream?.maxBufferedBytes,
    pingIntervalMs: o.stream?.pingIntervalMs,
    authorize: authorizeStream,
    onClientError: (msg: string) => o.logger.warn(msg),
    credentialIsCurrent: (id: number) => auth.isCurrent(id),
  };
  // two streams share the server's upgrade event: each answers its own path, the bot's stream refuses unknown ones
  const stream = attachEventStream({
    ...streamOptions,
    events: o.events,
    path: EVENT_STREAM_PATH,
    ignorePaths: o.fleetEvents ? [FLEET_STREAM_PATH] : [],
  });
  const fleetStream = o.fleetEvents
    ? attachEventStream({ ...streamOptions, events: o.fleetEvents, path: FLEET_STREAM_PATH, answerUnknownPaths: false })
    : null;
  // a replaced token's stream connections end with it (docs/contract.md §7: rotation closes them)
  const stopRevocations = auth.onRevoke((id) => {
    const why = 'the token this connection used was replaced';
    stream.closeCredential(id, why);
    fleetStream?.closeCredential(id, why);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  policy = new OriginPolicy(o.host, port);
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  const issueLoginUrl = () => `${url}/#login=${loginCodes.issue()}`;

  return {
    url,
    port,
    loginUrl: issueLoginUrl(),
    issueLoginUrl,
    server,
    readParking: parking,
    async close() {
      stopRevocations();
      parking?.close();
      await Promise.all([stream.close(), fleetStream?.close()]);
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}
