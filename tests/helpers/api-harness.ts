// The real runtime (SQLite on disk, live loop) behind the real API server on a real socket (port 0).
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotRuntime, type BotRuntime, type BotRuntimeOptions, type MarketSpec } from '../../src-main/app/runtime';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../../src-main/server/api-server';
import { loadOrCreateControlToken } from '../../src-main/server/token-store';
import { createLogger, formatLine } from '../../src-main/engine/log/logger';
import { deliversToken, retireForScan, textRecorder } from './secret-registry';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: T;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** sent as is (string/Buffer) */
  payload?: string | Buffer;
}

export interface ApiHarness {
  url: string;
  port: number;
  token: string;
  readToken: string;
  dataDir: string;
  runtime: BotRuntime;
  server: ApiServer;
  /** JSON call with the control token unless `token` says otherwise (null = no Authorization header) */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<HttpAnswer<T>>;
  /** byte-level request through node:http, for headers fetch would not send */
  raw<T = any>(r: RawRequest): Promise<HttpAnswer<T>>;
  close(): Promise<void>;
}

export async function startApi(
  o: {
    market?: MarketSpec;
    replaySpeed?: number | 'max';
    dataDir?: string;
    authFailures?: ApiServerOptions['authFailures'];
    stream?: ApiServerOptions['stream'];
    timeouts?: ApiServerOptions['timeouts'];
    staticDir?: string;
    /** reads wait while this order path is busy (read-parking.ts) */
    orderPath?: ApiServerOptions['orderPath'];
    maxParkMs?: number;
    /** anything else the runtime takes, e.g. live mode on the exchange emulator */
    runtime?: Partial<BotRuntimeOptions>;
  } = {},
): Promise<ApiHarness> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'botdesk-api-'));
  // log lines and answers are kept for the suite's final secret scan (secret-registry.ts)
  const said = textRecorder();
  const logger = createLogger({ level: 'debug', sinks: [(r) => said.add(formatLine(r))] });
  const token = loadOrCreateControlToken({ dataDir });
  const readToken = 'read-only-token-for-tests-0123456789';
  logger.addSecret(token);
  logger.addSecret(readToken);
  const runtime = await createBotRuntime({
    dataDir,
    market: o.market ?? { kind: 'synthetic', seed: 7 },
    replaySpeed: o.replaySpeed ?? 200,
    logger,
    ...o.runtime,
  });
  const server = await createApiServer({
    handlers: runtime.handlers,
    answerVersions: runtime.answerVersions,
    jsonAnswers: runtime.jsonAnswers,
    events: runtime.events,
    fleetEvents: runtime.fleet.events,
    logger,
    controlToken: token,
    readToken,
    host: '127.0.0.1',
    port: 0,
    staticDir: o.staticDir,
    authFailures: o.authFailures,
    stream: o.stream,
    timeouts: o.timeouts,
    orderPath: o.orderPath,
    maxParkMs: o.maxParkMs,
  });
  const base = server.url;

  const raw = <T>(r: RawRequest) =>
    new Promise<HttpAnswer<T>>((resolve, reject) => {
      const req = httpRequest(`${base}${r.path}`, { method: r.method ?? 'GET', headers: r.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (!deliversToken(text)) said.add(text);
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as T });
        });
      });
      req.on('error', reject);
      if (r.payload !== undefined) req.write(r.payload);
      req.end();
    });

  return {
    url: base,
    port: server.port,
    token,
    readToken,
    dataDir,
    runtime,
    server,
    raw,
    call(method, path, body, opts = {}) {
      const t = opts.token === undefined ? token : opts.token;
      const headers: Record<string, string> = { ...(t ? { Authorization: `Bearer ${t}` } : {}), ...opts.headers };
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['Content-Type'] ??= 'application/json';
      }
      return raw({ method, path: `/api/v1${path}`, headers, payload });
    },
    async close() {
      await server.close();
      await runtime.close();
      retireForScan({
        source: 'api-harness',
        dataDirs: [dataDir],
        secrets: [token, readToken],
        texts: said.texts,
        removeAfterScan: !o.dataDir,
      });
    },
  };
}
