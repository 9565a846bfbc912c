/**
 * Leaving the app (desktop Quit, tray Quit, SIGINT/SIGTERM, headless signals): stop the trading loop, close the API
 * (event-stream clients get 1001), flush and close the database, then exit — 0 when all of it finished, 1 when
 * something failed or it took longer than `forceAfterMs` (a wedged exchange call must not keep the process alive).
 * No Electron here: the desktop root passes app.exit, the headless root process.exit.
 */
export const SHUTDOWN_STEPS = ['loop_stopped', 'api_closed', 'database_flushed'] as const;
export type ShutdownStep = (typeof SHUTDOWN_STEPS)[number];
export type StepListener = (step: ShutdownStep) => void | Promise<void>;

/** what shutting down needs of the services (app/services.ts) */
export interface ClosableServices {
  runtime: { bot: { close(): Promise<void> }; close(): Promise<void> };
  api: { close(): Promise<void> };
}

/** The order itself, with each step reported once it is done. */
export async function closeInOrder(s: ClosableServices, onStep?: StepListener): Promise<void> {
  await s.runtime.bot.close(); // no new cycle, the one under way finished, buffered equity written
  await onStep?.('loop_stopped');
  await s.api.close();
  await onStep?.('api_closed');
  await s.runtime.close(); // logs flushed, database closed, instance lock released
  await onStep?.('database_flushed');
}

export interface ShutdownOptions {
  /** the services once start-up has settled; null when it failed or never got that far */
  services(): Promise<{ close(onStep?: StepListener): Promise<void> } | null>;
  exit(code: number): void;
  forceAfterMs?: number;
  onStep?: StepListener;
  /** one line saying why the exit is not clean */
  warn?(message: string): void;
}

/** Returns the function to call on every quit request; only the first one does anything. */
export function createShutdown(o: ShutdownOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () =>
    (running ??= (async () => {
      let exited = false;
      const exit = (code: number) => {
        if (exited) return;
        exited = true;
        clearTimeout(force);
        o.exit(code);
      };
      const forceAfterMs = o.forceAfterMs ?? 5000;
      const force = setTimeout(() => {
        o.warn?.(`shutdown took longer than ${forceAfterMs / 1000} s; leaving anyway`);
        exit(1);
      }, forceAfterMs);
      try {
        const services = await o.services().catch(() => null);
        await services?.close(o.onStep);
        exit(0);
      } catch (e) {
        o.warn?.(`shutdown failed: ${(e as Error).message}`);
        exit(1);
      }
    })());
}
