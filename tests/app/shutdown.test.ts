// Quitting (desktop Quit, tray Quit, SIGINT/SIGTERM): the real services on a real socket and a real SQLite file are
// shut down in order — loop, API, database — and what the bot had in memory is on disk afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TIMEFRAME_MS, type Timeframe } from '../../src-shared/contract';
import { readEnv } from '../../src-main/app/env';
import { startServices, type Services } from '../../src-main/app/services';
import { createShutdown, SHUTDOWN_STEPS, type ShutdownStep } from '../../src-main/app/shutdown';
import { createLogger } from '../../src-main/engine/log/logger';
import { waitFor } from '../helpers/wait';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(): Promise<{ services: Services; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-shutdown-'));
  dirs.push(dataDir);
  // a fast synthetic replay: equity points pile up in memory between the once-a-second writes
  const env = readEnv({ BOT_DATA_DIR: dataDir, BOT_API_PORT: '0', BOT_MARKET: 'synthetic', BOT_REPLAY_SPEED: '500' });
  const services = await startServices({ env, logger: createLogger({ level: 'debug' }), out: () => undefined });
  return { services, dataDir };
}

const health = async (url: string): Promise<number | string> => {
  try {
    return (await fetch(`${url}/api/v1/health`)).status;
  } catch (e) {
    return (e as Error).name; // connection refused: fetch fails with a TypeError
  }
};

describe('shutdown', () => {
  it('stops the loop, then closes the API, then flushes the database, then exits 0; the last equity point is on disk', async () => {
    const { services, dataDir } = await start();
    const { bot } = services.runtime;
    await waitFor(() => (bot.status().equity_ts ?? 0) > 0 && bot.status().last_cycle_at !== null, 'a few cycles');
    const steps: ShutdownStep[] = [];
    const exits: number[] = [];
    let atStop: ReturnType<typeof bot.status> | null = null;
    const seen: Record<string, unknown> = {};

    const shutdown = createShutdown({
      services: async () => services,
      exit: (code) => exits.push(code),
      onStep: async (step) => {
        steps.push(step);
        expect(exits).toEqual([]); // nothing exits before the last step
        if (step === 'loop_stopped') {
          atStop = bot.status();
          seen.apiWhileLoopStopped = await health(services.api.url);
          await new Promise((r) => setTimeout(r, 150));
          seen.cyclesAfterStop = bot.status().last_cycle_at !== atStop.last_cycle_at;
        }
        if (step === 'api_closed') {
          seen.apiAfterClose = await health(services.api.url);
          seen.databaseOpenAfterApi = services.runtime.store.getMeta('bot_state'); // still readable: not closed yet
        }
      },
    });
    services.runtime.logger.info('the last words before quitting');
    await Promise.all([shutdown(), shutdown()]); // a second quit request (tray Quit then SIGTERM) changes nothing

    expect(steps).toEqual([...SHUTDOWN_STEPS]);
    expect(exits).toEqual([0]);
    expect(seen.apiWhileLoopStopped).toBe(200);
    expect(seen.cyclesAfterStop).toBe(false);
    expect(seen.apiAfterClose).not.toBe(200);
    expect(seen.databaseOpenAfterApi).toBe('running');
    expect(() => services.runtime.store.getMeta('bot_state')).toThrow(); // closed

    // reopen the file as another process would: the state the bot stopped in is all there
    const db = new Database(join(dataDir, 'botdesk.sqlite'), { readonly: true });
    try {
      const stopped = atStop as unknown as ReturnType<typeof bot.status>;
      const lastPoint = db.prepare('SELECT ts, equity FROM equity_points ORDER BY ts DESC LIMIT 1').get() as { ts: number; equity: number };
      expect(lastPoint).toEqual({ ts: stopped.equity_ts, equity: stopped.equity });
      const meta = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value;
      // the resume cursor is the open time of the last candle acted on; equity is marked at its close
      expect(Number(meta('last_candle_ts')) + TIMEFRAME_MS[stopped.timeframe as Timeframe]).toBe(stopped.equity_ts);
      expect(meta('bot_state')).toBe('running'); // quitting is not stopping: the next start resumes
      const logs = db.prepare(`SELECT record FROM logs WHERE record LIKE '%the last words before quitting%'`).all();
      expect(logs).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('leaves with exit code 1 when closing hangs past the deadline, and when it fails', async () => {
    const hung: number[] = [];
    // the hanging close never settles (so it is not awaited): the force timer is what exits
    void createShutdown({
      services: async () => ({ close: () => new Promise<void>(() => undefined) }),
      exit: (c) => hung.push(c),
      forceAfterMs: 50,
    })();
    await waitFor(() => hung.length > 0, 'the forced exit', 2000);
    expect(hung).toEqual([1]);

    const failed: number[] = [];
    const warnings: string[] = [];
    await createShutdown({
      services: async () => ({
        close: async () => {
          throw new Error('disk gone');
        },
      }),
      exit: (c) => failed.push(c),
      warn: (m) => warnings.push(m),
    })();
    expect(failed).toEqual([1]);
    expect(warnings).toEqual(['shutdown failed: disk gone']);
  });

  it('exits 0 at once when start-up never produced services', async () => {
    const exits: number[] = [];
    await createShutdown({
      services: async () => {
        throw new Error('the port was taken');
      },
      exit: (c) => exits.push(c),
    })();
    expect(exits).toEqual([0]);
  });
});
