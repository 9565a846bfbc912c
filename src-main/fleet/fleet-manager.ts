/**
 * The fleet manager: every bot this BotDesk manages — "this computer" plus remote BotDesk servers — in the main
 * process's Node code (no Electron), so the desktop app and the headless hub host it alike. Remote bots are reached
 * only through it: their tokens never leave the main process, and the remote servers keep their strict Host/Origin
 * rules (no CORS). Everything it learns goes out on its own event bus (`fleet` events) and to alert listeners.
 */
import { randomBytes } from 'node:crypto';
import {
  DESK_OPERATIONS,
  FLEET_OPERATION_NAMES,
  LOCAL_BOT_ID,
  operations,
  ServiceError,
  type BotEvent,
  type BotOperationHandlers,
  type BotOperationName,
  type CallerContext,
  type Fleet,
  type FleetAction,
  type FleetAlert,
  type FleetBot,
  type FleetOutcome,
  type OperationName,
} from '../../src-shared/contract';
import { isOperationName, parseOperationInput, type RawInput } from '../operations/invoke-operation';
import { EventBus, type EventFeed } from '../engine/events/event-bus';
import { redactValue } from '../engine/log/redact';
import type { Logger } from '../engine/log/logger';
import { classifyBotUrl, fleetTotals } from '../../src-shared/connection-safety';
import type { FleetMember, MemberListener } from './fleet-member';
import { FileTokenVault, FleetStore, type FleetFile, type StoredBot, type TokenVault } from './fleet-store';
import { LocalBot } from './local-bot';
import { probeRemote, RemoteBot, UnreachableError } from './remote-bot';

export interface FleetManagerOptions {
  dataDir: string;
  /** the local bot's operations and events */
  handlers: BotOperationHandlers;
  events: EventFeed;
  /** default: `<dataDir>/fleet-tokens.json` (0600); the desktop app passes one backed by safeStorage */
  vault?: TokenVault;
  logger?: Logger;
  probeEveryMs?: number;
  /** a remote call unanswered after this is reported unreachable (default 20 s) */
  requestTimeoutMs?: number;
  /** a remote's event stream silent this long is cut and resumed (default 75 s; the server pings every 30 s) */
  streamSilenceMs?: number;
  now?: () => number;
}

const ACTION_CALLS = { start: 'startBot', stop: 'stopBot', pause: 'pauseBot', resume: 'resumeBot', 'close-all': 'closeAll' } as const;
const DONE = { start: 'running', stop: 'stopped', pause: 'paused', resume: 'running' } as const;
const REPEAT_ALERT_MS = 60_000;
const FLEET_OPS = new Set<string>(FLEET_OPERATION_NAMES);
const DESK_OPS = new Set<string>(DESK_OPERATIONS);
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class FleetManager {
  /** the hub's `fleet` events (served at /ws/fleet, forwarded over IPC); its own seq, apart from the local bot's */
  readonly events = new EventBus();
  private readonly members = new Map<string, FleetMember>();
  private readonly store: FleetStore;
  private readonly vault: TokenVault;
  private readonly alertListeners = new Set<(alert: FleetAlert) => void>();
  private readonly now: () => number;
  private stored: StoredBot[];
  private localName: string;
  private readonly listener: MemberListener;
  private readonly lastAlerts = new Map<string, number>();

  constructor(private readonly o: FleetManagerOptions) {
    this.now = o.now ?? Date.now;
    this.store = new FleetStore(o.dataDir);
    this.vault = o.vault ?? new FileTokenVault(o.dataDir);
    const file = this.loadList();
    this.stored = file.bots;
    this.localName = file.local_name ?? 'This computer';
    this.listener = {
      event: (botId, event) => this.forward(botId, event),
      changed: (botId) => this.publishRow(botId),
      alert: (a) => this.raise({ ...a, ts: this.now() }),
    };
    this.members.set(LOCAL_BOT_ID, new LocalBot(this.localName, o.handlers, o.events, this.listener, this.now));
    // a bot whose token cannot be read (its file set aside, a keychain that changed) leaves the list, so that adding
    // it again works: kept, it could be neither shown, reached, removed nor added
    const orphans = this.stored.filter((bot) => this.vault.get(bot.id) === undefined);
    for (const bot of orphans)
      o.logger?.warn(`fleet: the token for ${bot.name} (${bot.url}) could not be read; it left the fleet: add it again`);
    if (orphans.length) {
      this.stored = this.stored.filter((bot) => !orphans.includes(bot));
      this.save();
    }
    for (const bot of this.stored) this.members.set(bot.id, this.connect(bot, this.vault.get(bot.id) as string));
  }

  /** a list this version cannot read is set aside (kept, renamed) rather than stopping the bot from starting */
  private loadList(): FleetFile {
    try {
      return this.store.load();
    } catch (e) {
      const aside = this.store.setAside();
      this.o.logger?.error(`fleet: ${(e as Error).message}; starting with an empty fleet (the old list is kept as ${aside})`);
      return { version: 1, bots: [] };
    }
  }

  /** desktop notifications and the like: called for every disconnect, reconnect, self-pause and error of a bot */
  onAlert(listener: (alert: FleetAlert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  fleet(): Fleet {
    const bots = [...this.members.values()].map((m) => m.row());
    return { bots, totals: fleetTotals(bots) };
  }

  async add(input: { name: string; url: string; token: string; vpn_confirmed?: boolean }): Promise<FleetBot> {
    const verdict = classifyBotUrl(input.url, input.vpn_confirmed === true);
    if (!verdict.ok) throw new ServiceError(400, verdict.message, { url: verdict.message });
    this.checkUnique(input.name, verdict.origin);
    const probe = await probeRemote(verdict.origin, input.token);
    if (!probe.ok) throw new ServiceError(probe.httpStatus, probe.message, { [probe.field]: probe.message });
    // another add may have finished while this one waited for the server
    this.checkUnique(input.name, verdict.origin);
    const bot: StoredBot = {
      id: `b${randomBytes(5).toString('hex')}`,
      name: input.name.trim(),
      url: verdict.origin,
      link: verdict.link,
      added_at: this.now(),
    };
    this.vault.set(bot.id, input.token);
    this.stored = [...this.stored, bot];
    this.save();
    this.members.set(bot.id, this.connect(bot, input.token));
    this.o.logger?.info(`fleet: added ${bot.name} at ${bot.url} (${bot.link})`);
    this.publishRow(bot.id);
    return this.member(bot.id).row();
  }

  rename(id: string, name: string): FleetBot {
    const member = this.member(id);
    const clash = [...this.members.values()].find((m) => m.id !== id && sameName(m.name, name));
    if (clash) throw new ServiceError(409, `Another bot is already called ${clash.name}.`, { name: 'already used by another bot' });
    member.name = name.trim();
    if (id === LOCAL_BOT_ID) this.localName = member.name;
    else this.stored = this.stored.map((b) => (b.id === id ? { ...b, name: member.name } : b));
    this.save();
    this.publishRow(id);
    return member.row();
  }

  remove(id: string): void {
    const member = this.member(id);
    if (member.kind === 'local') throw new ServiceError(409, "This computer's own bot cannot be removed from the fleet.");
    member.close();
    this.members.delete(id);
    this.stored = this.stored.filter((b) => b.id !== id);
    this.save();
    this.vault.delete(id);
    this.o.logger?.info(`fleet: removed ${member.name}`);
    this.events.publish('fleet', { kind: 'removed', bot_id: id });
  }

  /** one action on one bot; failures throw (the HTTP answer carries the bot's own status code) */
  async control(id: string, action: FleetAction, caller: CallerContext): Promise<{ outcome: FleetOutcome; bot: FleetBot }> {
    const member = this.member(id);
    const outcome = await this.act(member, action, caller, true);
    return { outcome, bot: member.row() };
  }

  /** every running bot paused; each bot's outcome, a bot that cannot be reached reported as such */
  pauseAll(caller: CallerContext): Promise<FleetOutcome[]> {
    return Promise.all([...this.members.values()].map((m) => this.act(m, 'pause', caller, false)));
  }

  closeAllEverywhere(caller: CallerContext): Promise<FleetOutcome[]> {
    return Promise.all([...this.members.values()].map((m) => this.act(m, 'close-all', caller, false)));
  }

  /**
   * Any bot operation on one bot, for the dashboard pointed at it. Checked here against the operation table
   * (name, input schemas, the caller's scope) before anything is sent; the answer goes through the output schema.
   */
  async call(id: string, operation: string, raw: RawInput, caller: CallerContext): Promise<unknown> {
    const member = this.member(id);
    if (!isOperationName(operation) || FLEET_OPS.has(operation)) {
      throw new ServiceError(400, `There is no bot operation ${JSON.stringify(operation)}.`, {
        operation: 'not a bot operation of the table',
      });
    }
    if (DESK_OPS.has(operation)) {
      throw new ServiceError(
        400,
        `${operation} is about the machine a bot runs on (its tokens, settings or keys): open that machine's own dashboard for it.`,
        { operation: 'not callable through the fleet' },
      );
    }
    const name = operation as BotOperationName;
    const op = operations[name as OperationName];
    if (op.scope === 'control' && caller.scope === 'read')
      throw new ServiceError(403, 'This token is read-only; control operations need the control token.');
    parseOperationInput(name, raw);
    const result = await member.call(name, raw, caller);
    const checked = op.output.safeParse(result);
    if (!checked.success)
      throw new ServiceError(
        502,
        `${member.name} answered ${name} with something this version does not understand; update one of the two.`,
      );
    return checked.data;
  }

  close(): void {
    for (const m of this.members.values()) m.close();
    this.members.clear();
  }

  private async act(member: FleetMember, action: FleetAction, caller: CallerContext, throwOnFailure: boolean): Promise<FleetOutcome> {
    const base = { bot_id: member.id, name: member.name };
    const { status, health } = member.row();
    const answering = health.connection === 'local' || health.connection === 'connected';
    if (!throwOnFailure && action === 'pause' && answering && status?.state === 'stopped') {
      return { ...base, result: 'ok', detail: `${member.name} is stopped: it takes no entries.` };
    }
    try {
      const name = ACTION_CALLS[action];
      const result = await member.call(name, {}, { ...caller, actor: `${caller.actor} via fleet` });
      if (name === 'closeAll') {
        const closed = (result as { closed: unknown[] }).closed.length;
        return { ...base, result: 'ok', detail: `${member.name}: entries paused, ${closed} position${closed === 1 ? '' : 's'} closed.` };
      }
      const changed = (result as { changed: boolean }).changed;
      return {
        ...base,
        result: 'ok',
        detail: `${member.name} ${changed ? 'is now' : 'was already'} ${DONE[action as keyof typeof DONE]}.`,
      };
    } catch (e) {
      if (throwOnFailure) throw e;
      const message = e instanceof Error ? e.message : String(e);
      return { ...base, result: e instanceof UnreachableError ? 'unreachable' : 'failed', detail: message };
    }
  }

  private connect(bot: StoredBot, token: string): RemoteBot {
    this.o.logger?.addSecret?.(token);
    return new RemoteBot({
      stored: bot,
      token,
      listener: this.listener,
      probeEveryMs: this.o.probeEveryMs,
      requestTimeoutMs: this.o.requestTimeoutMs,
      streamSilenceMs: this.o.streamSilenceMs,
      now: this.now,
    });
  }

  private member(id: string): FleetMember {
    const m = this.members.get(id);
    if (!m) throw new ServiceError(404, `There is no bot ${id} in the fleet.`);
    return m;
  }

  private checkUnique(name: string, origin: string): void {
    const byName = [...this.members.values()].find((m) => sameName(m.name, name));
    if (byName) throw new ServiceError(409, `Another bot is already called ${byName.name}.`, { name: 'already used by another bot' });
    const byUrl = this.stored.find((b) => b.url === origin);
    if (byUrl)
      throw new ServiceError(409, `${origin} is already in the fleet as ${byUrl.name}.`, { url: `already added as ${byUrl.name}` });
  }

  private save(): void {
    this.store.save({ version: 1, local_name: this.localName, bots: this.stored });
  }

  private forward(botId: string, event: BotEvent): void {
    this.events.publish('fleet', { kind: 'event', bot_id: botId, event });
  }

  private publishRow(botId: string): void {
    const member = this.members.get(botId);
    if (member) this.events.publish('fleet', { kind: 'row', bot: member.row() });
  }

  private raise(raw: FleetAlert): void {
    // an alert quotes a bot's own words, and the listeners (desktop notifications) are not behind the event bus
    const alert = redactValue(raw);
    // a bot failing every cycle would otherwise notify every cycle: the same error at most once a minute (connection
    // and pause alerts are transitions and always go out)
    if (alert.kind === 'error') {
      const key = `${alert.bot_id}|${alert.message}`;
      const last = this.lastAlerts.get(key);
      if (last !== undefined && alert.ts - last < REPEAT_ALERT_MS) return;
      this.lastAlerts.set(key, alert.ts);
      if (this.lastAlerts.size > 1000) this.lastAlerts.delete(this.lastAlerts.keys().next().value as string);
    }
    this.o.logger?.warn(`fleet: ${alert.message}`);
    this.events.publish('fleet', { kind: 'alert', alert });
    for (const l of [...this.alertListeners]) {
      try {
        l(alert);
      } catch {
        // a broken notifier must not stop the fleet
      }
    }
  }
}
