/**
 * Keeps the tray in step with the bot: recomputes the tray view when the status, a trade or a position moves, at most
 * once per `minIntervalMs` (a replay at full speed publishes far faster than a menu should be rebuilt), and always
 * ends on the newest figures (a change inside the quiet interval is drawn when it ends).
 */
import type { EventType, OperationHandlers } from '../../src-shared/contract';
import type { EventFeed } from '../engine/events/event-bus';
import { invokeOperation } from '../operations/invoke-operation';
import { trayView, type TrayFacts, type TrayView } from './tray-model';

/** events after which the tray may show something else (status_change carries equity and today's P&L) */
const REDRAW_ON: ReadonlySet<EventType> = new Set<EventType>(['status_change', 'trade', 'position']);

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TrayPresenterOptions {
  events: Pick<EventFeed, 'subscribe'>;
  /** the current status, read when a redraw is due (never the figures of a stale event) */
  read(): TrayFacts | Promise<TrayFacts>;
  render(view: TrayView): void;
  onError?(message: string): void;
  minIntervalMs?: number;
  now?: () => number;
  timers?: Timers;
}

export interface TrayPresenter {
  /** the view last rendered (the Electron e2e test reads it through a test-only hook) */
  readonly last: TrayView | null;
  /** redraw as soon as the interval allows, e.g. right after an action from the tray itself */
  refresh(): void;
  dispose(): void;
}

/** What the tray shows, read through the same operation as GET /bot/status. */
export async function readTrayFacts(handlers: OperationHandlers): Promise<TrayFacts> {
  return { status: await invokeOperation(handlers, 'getStatus', {}, { actor: 'tray' }) };
}

export function createTrayPresenter(o: TrayPresenterOptions): TrayPresenter {
  const minInterval = o.minIntervalMs ?? 1000;
  const now = o.now ?? Date.now;
  const timers: Timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  let last: TrayView | null = null;
  let lastDrawnAt = -Infinity;
  let timer: unknown = null;
  let drawing = false;
  let again = false;
  let disposed = false;

  const draw = async () => {
    drawing = true;
    lastDrawnAt = now();
    try {
      const view = trayView(await o.read());
      if (!disposed) {
        last = view;
        o.render(view);
      }
    } catch (e) {
      o.onError?.(`tray update failed: ${(e as Error).message}`);
    } finally {
      drawing = false;
      if (again) {
        again = false;
        request();
      }
    }
  };

  const request = () => {
    if (disposed || timer !== null) return;
    if (drawing) {
      again = true; // what changed during this draw may not be in it
      return;
    }
    const wait = lastDrawnAt + minInterval - now();
    if (wait <= 0) {
      void draw();
      return;
    }
    timer = timers.setTimeout(() => {
      timer = null;
      void draw();
    }, wait);
  };

  const unsubscribe = o.events.subscribe((event) => {
    if (REDRAW_ON.has(event.type)) request();
  });
  request();

  return {
    get last() {
      return last;
    },
    refresh: request,
    dispose() {
      disposed = true;
      unsubscribe();
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
