import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** what the bot says about its order path (engine/order-path.ts), seen from here */
export interface TradingBusySignal {
  readonly busy: boolean;
  onChange(listener: (busy: boolean) => void): () => void;
}

export interface ReadParkingOptions {
  signal: TradingBusySignal;
  /** the longest a read is held back, however long the order path takes (a stuck exchange) */
  maxParkMs?: number;
  /** the most reads held at once; past it they are answered at once */
  maxParked?: number;
}

/** the order path takes a few round trips; a read waits at most this long for it */
const DEFAULT_MAX_PARK_MS = 1000;
const DEFAULT_MAX_PARKED = 20_000;
/** answered per turn of the event loop when released, so a big release does not hold the loop (pings, timers) long */
const RELEASE_BATCH = 256;

/**
 * Trading before monitoring (docs/architecture.md): while the bot is on its order path, reads are parked in arrival
 * order instead of being answered, and all answered, in that order, the moment the path ends — so the bot's one event
 * loop spends the order's few round trips on the order, and clients that wait for an answer before asking again go
 * quiet meanwhile. A path that outlasts `maxParkMs` releases what it holds and parks nothing more until it ends: a
 * stuck exchange never starves the readers.
 */
export class ReadParking {
  private readonly parked: (() => void)[] = [];
  private readonly maxParkMs: number;
  private readonly maxParked: number;
  private timer: NodeJS.Timeout | null = null;
  /** the current path outlasted the bound: reads go through until it ends */
  private expired = false;
  /** a release is due on the next turn: reads arriving meanwhile queue behind the parked ones, keeping the order */
  private draining = false;
  private readonly stopListening: () => void;
  /** reads parked since start, and paths that had to release them at the bound (for /metrics and tests) */
  parkedTotal = 0;
  expiredPaths = 0;
  /** the server's open connections, and those whose reading is paused for the current path */
  private readonly sockets = new Set<Socket>();
  private readonly paused = new Set<Socket>();
  private isReadOnly: (socket: Socket) => boolean = () => false;
  /** read-only connections are paused (watch was called) */
  private pausing = false;

  constructor(private readonly o: ReadParkingOptions) {
    this.maxParkMs = o.maxParkMs ?? DEFAULT_MAX_PARK_MS;
    this.maxParked = o.maxParked ?? DEFAULT_MAX_PARKED;
    this.stopListening = o.signal.onChange((busy) => (busy ? this.pathStarted() : this.pathEnded()));
    if (o.signal.busy) this.pathStarted();
  }

  /**
   * Also stop reading from read-only clients' connections during a path (`readOnly`: the connection authenticated with
   * the read token, which can do nothing but read): their next requests wait in the kernel unparsed, which costs the
   * loop nothing, where a parked request has still been read and parsed. Control clients' connections are never paused.
   */
  watch(server: Server, readOnly: (socket: Socket) => boolean): void {
    this.isReadOnly = readOnly;
    this.pausing = true;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.paused.delete(socket);
      });
    });
    // an event-stream connection is never paused: its pongs and closes are read as they come
    server.on('upgrade', (_req, socket: Socket) => void this.sockets.delete(socket));
  }

  /** reads held right now */
  get waiting(): number {
    return this.parked.length;
  }

  /** whether a read arriving now is parked (the caller then hands it to `park`) or answered at once */
  get holding(): boolean {
    return this.draining || (this.o.signal.busy && !this.expired && this.parked.length < this.maxParked);
  }

  /**
   * `answer` when the path ends or the bound passes, after the reads parked before it; only while `holding`.
   * `readOnly`: the request's connection, authenticated with the read token: not read from until then either.
   */
  park(answer: () => void, readOnly: Socket | null = null): void {
    this.parked.push(answer);
    if (this.draining) return;
    this.parkedTotal++;
    if (readOnly && this.pausing) this.pause(readOnly);
  }

  /** answer whatever is parked and park nothing more (the server is closing) */
  close(): void {
    this.stopListening();
    this.expired = true;
    this.clearTimer();
    this.resumeReading();
    this.answerAll();
  }

  private pathStarted(): void {
    this.expired = false;
    this.clearTimer();
    if (this.pausing) for (const socket of this.sockets) if (this.isReadOnly(socket)) this.pause(socket);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expired = true;
      if (this.parked.length) this.expiredPaths++;
      this.release();
    }, this.maxParkMs);
    this.timer.unref?.();
  }

  private pathEnded(): void {
    this.clearTimer();
    this.expired = false;
    this.release();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * On the next turn, not inside the bot's own call that ended the path; in arrival order. Each answer handles its own
   * failures (the server's request handler).
   */
  private release(): void {
    // requests read from here on queue behind the parked ones (draining), so the order holds
    this.resumeReading();
    if (this.draining || !this.parked.length) return;
    this.draining = true;
    setImmediate(this.answerBatch);
  }

  private pause(socket: Socket): void {
    if (socket.isPaused() || this.paused.has(socket)) return;
    socket.pause();
    this.paused.add(socket);
  }

  private resumeReading(): void {
    for (const socket of this.paused) socket.resume();
    this.paused.clear();
  }

  private readonly answerBatch = (): void => {
    for (const answer of this.parked.splice(0, RELEASE_BATCH)) answer();
    if (this.parked.length) setImmediate(this.answerBatch);
    else this.draining = false;
  };

  private answerAll(): void {
    this.draining = false;
    for (const answer of this.parked.splice(0)) answer();
  }
}
