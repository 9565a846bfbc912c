/**
 * The terminal client, as a function of argv, environment and two output streams: the entry (ctl.ts) wires it to the
 * process, tests may call it in-process. Every call goes through the typed client derived from the operation table.
 */
import WebSocket from 'ws';
import { ApiError } from '../../../src-shared/api-client/api-error';
import { createBotClient, type BotClient } from '../../../src-shared/api-client/bot-client';
import type { WebSocketLike } from '../../../src-shared/api-client/event-socket';
import { createHttpTransport } from '../../../src-shared/api-client/http.transport';
import { operations, type OperationInput, type OperationName } from '../../../src-shared/contract';
import { parseInvocation, type GlobalFlags } from './args';
import { profilesFile, readToken, resolveConnection, type Connection } from './connection';
import { describeFailure, EXIT, type Target } from './errors';
import { followEvents, parseEventTypes } from './follow-events';
import { formatAny } from './format';
import { generalHelp, topicHelp } from './help';
import { buildInput } from './operation-input';
import { importCandleFile } from './import-candles';

export interface CtlIO {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** ends `events` cleanly (SIGINT/SIGTERM) */
  signal?: AbortSignal;
  /** pretty JSON for a person at a terminal; one line for pipes */
  stdoutIsTTY?: boolean;
}

const nodeWebSocket = (url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as WebSocketLike;

function connect(flags: GlobalFlags, io: CtlIO, needsToken: boolean): { client: BotClient; target: Target } {
  const conn: Connection = resolveConnection(flags, io.env);
  // a public operation (health) needs no token, so it works before the server ever wrote one
  const token = needsToken ? readToken(conn.tokenFile, (line) => io.err(`${line}\n`)) : '';
  const client = createBotClient(createHttpTransport({ origin: conn.url, token, webSocket: nodeWebSocket }));
  return { client, target: { url: conn.url, tokenFile: needsToken ? conn.tokenFile : null } };
}

export async function runCtl(argv: string[], io: CtlIO): Promise<number> {
  let target: Target | null = null;
  try {
    const invocation = parseInvocation(argv);
    if (invocation.kind === 'help') {
      const tokenFile = resolveConnectionSafe(invocation.flags, io.env);
      io.out(`${invocation.topic ? topicHelp(invocation.topic) : generalHelp({ profilesFile: profilesFile(io.env), tokenFile })}\n`);
      return EXIT.ok;
    }
    const flags = invocation.flags;

    if (invocation.kind === 'events') {
      const types = parseEventTypes(invocation.types);
      const { client, target: t } = connect(flags, io, true);
      target = t;
      return await followEvents({
        client,
        types,
        json: flags.json,
        out: io.out,
        err: io.err,
        signal: io.signal,
        refusedLine: describeFailure(new ApiError(401, 'it is no longer accepted'), t).lines[0],
      });
    }

    if (invocation.kind === 'import') {
      const { client, target: t } = connect(flags, io, true);
      target = t;
      try {
        const r = await importCandleFile(client, invocation, (line) => io.err(`${line}\n`));
        if (flags.json) io.out(`${JSON.stringify(r)}\n`);
        else io.out(`${r.added} new candles; ${r.set ? `the set now holds ${r.set.candles} (${r.set.gaps.length} gaps)` : ''}\n`);
        return EXIT.ok;
      } finally {
        client.close();
      }
    }

    const { operation, command } = invocation;
    const input = buildInput(operation, invocation.pairs);
    const { client, target: t } = connect(flags, io, operations[operation].scope !== 'public');
    target = t;
    try {
      const call = (name: OperationName, i?: OperationInput<OperationName>) =>
        (client[name] as (i?: OperationInput<OperationName>) => Promise<unknown>)(i);
      // the context read is a nicety for people: its failure never fails the command
      const context = !flags.json && command?.context ? call(command.context).catch(() => null) : Promise.resolve(null);
      const answers = await untilAborted(Promise.all([call(operation, input), context]), io.signal);
      if (answers === ABORTED) return EXIT.interrupted;
      const [output, extra] = answers;
      if (flags.json) io.out(`${io.stdoutIsTTY ? JSON.stringify(output, null, 2) : JSON.stringify(output)}\n`);
      else io.out(`${command ? command.format(output, input, extra) : formatAny(output)}\n`);
      return EXIT.ok;
    } finally {
      client.close();
    }
  } catch (e) {
    const { lines, code } = describeFailure(e, target);
    io.err(`${lines.join('\n')}\n`);
    return code;
  }
}

const ABORTED = Symbol('aborted');

/** Ctrl-C during a one-shot call ends it at once (exit 130, as a shell reports an interrupted command). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return Promise.race([
    work,
    new Promise<typeof ABORTED>((resolve) => signal.addEventListener('abort', () => resolve(ABORTED), { once: true })),
  ]);
}

/** Help names the default token file; a broken profile file must not stop help from printing. */
function resolveConnectionSafe(flags: GlobalFlags, env: NodeJS.ProcessEnv): string {
  try {
    return resolveConnection(flags, env).tokenFile;
  } catch {
    return "the data directory's api-token";
  }
}
