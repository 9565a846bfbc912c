// The app exactly as headless composes it (startServices: token file, settings, runtime, API on a real socket),
// with the environment and the keychain a test chooses.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { deliversToken, retireForScan } from './secret-registry';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../../src-main/app/env';
import { startServices, type Services } from '../../src-main/app/services';
import type { SecretStore } from '../../src-main/desktop/secret-store';
import { createLogger, formatLine, type RestorableLogger } from '../../src-main/engine/log/logger';
import { registerIpcRouter, type IpcInvokeEvent } from '../../src-main/ipc/ipc-router';
import { IPC_CHANNELS, type BridgeResult, type OperationName } from '../../src-shared/contract';
import type { HttpAnswer } from './api-harness';

export interface DeskHarness {
  url: string;
  dataDir: string;
  services: Services;
  logger: RestorableLogger;
  /** every line the logger wrote, formatted as stderr gets it */
  stderr: string[];
  /** lines printed to stdout at start */
  stdout: string[];
  /** every answer `call` received, as text (for secret scans) */
  answers: string[];
  /** the control token as a client finds it: BOT_API_TOKEN, else the token file */
  token(): string;
  call<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<HttpAnswer<T>>;
  /** an operation as the desktop window calls it: through the real IPC router, arguments and answer cloned as Electron does */
  window<N extends OperationName>(name: N, input?: unknown): Promise<BridgeResult<N>>;
  close(): Promise<void>;
}

export async function startDesk(
  o: {
    env?: Record<string, string>;
    secrets?: SecretStore;
    applyLaunchAtLogin?: (on: boolean) => void;
    dataDir?: string;
    /** the built dashboard, served as headless serves it */
    staticDir?: string;
  } = {},
): Promise<DeskHarness> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'botdesk-desk-'));
  const env = readEnv({ BOT_DATA_DIR: dataDir, BOT_API_PORT: '0', BOT_MARKET: 'synthetic', BOT_REPLAY_SPEED: '50', ...o.env });
  const stderr: string[] = [];
  const stdout: string[] = [];
  const answers: string[] = [];
  const logger = createLogger({ level: 'debug', sinks: [(r) => stderr.push(formatLine(r))] });
  const services = await startServices({
    env,
    logger,
    staticDir: o.staticDir,
    out: (l) => stdout.push(l),
    secrets: o.secrets,
    applyLaunchAtLogin: o.applyLaunchAtLogin,
  });
  // the tokens in force at start, for the final secret scan (rotated ones are read from the files at close)
  const issuedTokens = [readTokenFile(dataDir, o.env?.BOT_API_TOKEN), readOptional(join(dataDir, 'api-read-token'))];
  const channels = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>();
  const page: IpcInvokeEvent = {
    sender: { id: 1, send: () => undefined, isDestroyed: () => false, once: () => undefined },
    senderFrame: { url: 'file:///app/index.html', parent: null },
  };
  const stopIpc = registerIpcRouter({
    ipc: { handle: (c, fn) => void channels.set(c, fn), removeHandler: (c) => void channels.delete(c) },
    handlers: services.runtime.handlers,
    events: services.runtime.events,
    isTrustedSender: (e) => e.senderFrame?.url === page.senderFrame?.url,
  });
  return {
    url: services.api.url,
    dataDir,
    services,
    logger,
    stderr,
    stdout,
    answers,
    async window(name, input) {
      const answer = structuredClone(await channels.get(IPC_CHANNELS.call)!(page, name, structuredClone(input)));
      answers.push(JSON.stringify(answer));
      return answer as never;
    },
    token: () => readTokenFile(dataDir, o.env?.BOT_API_TOKEN),
    async call(method, path, body, token) {
      const t = token === undefined ? readTokenFile(dataDir, o.env?.BOT_API_TOKEN) : token;
      const headers: Record<string, string> = t ? { Authorization: `Bearer ${t}` } : {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${services.api.url}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      answers.push(text);
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      return { status: res.status, headers: Object.fromEntries(res.headers), text, body: parsed as never };
    },
    async close() {
      // the tokens the run ended with (a test may have rotated them) and the ones set by the environment
      const secrets = [
        readTokenFile(dataDir, o.env?.BOT_API_TOKEN),
        o.env?.BOT_API_READ_TOKEN,
        readOptional(join(dataDir, 'api-read-token')),
      ];
      stopIpc();
      await services.close();
      retireForScan({
        source: 'desk-harness',
        dataDirs: [dataDir],
        secrets: [...secrets, ...issuedTokens].filter((t): t is string => !!t),
        texts: [...stderr, ...stdout, ...answers.filter((a) => !deliversToken(a))],
        removeAfterScan: !o.dataDir,
      });
    },
  };
}

const readOptional = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);

/** the control token as a client finds it: BOT_API_TOKEN, else the token file */
function readTokenFile(dataDir: string, envToken?: string): string {
  if (envToken) return envToken;
  return readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
}
