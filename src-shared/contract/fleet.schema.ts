/**
 * The fleet: every bot one BotDesk manages ("this computer" plus remote BotDesk servers), as rows for the overview,
 * and the events the hub streams about them. Tokens of remote bots never appear here: they stay in the main process.
 */
import { z } from 'zod';
import { StatusSchema } from './trading.schema';

export const LOCAL_BOT_ID = 'local';
export const FleetBotIdSchema = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be a fleet bot id');

/** how the hub reaches a bot: the local bot in-process, a loopback URL (an SSH tunnel), https, or plain http over a VPN */
export const FLEET_LINKS = ['local', 'loopback', 'https', 'vpn'] as const;
export const FleetLinkSchema = z.enum(FLEET_LINKS);
export type FleetLink = z.infer<typeof FleetLinkSchema>;

export const FLEET_CONNECTIONS = ['local', 'connecting', 'connected', 'disconnected', 'unauthorised'] as const;
export const FleetConnectionSchema = z.enum(FLEET_CONNECTIONS);
export type FleetConnection = z.infer<typeof FleetConnectionSchema>;

export const FleetHealthSchema = z.object({
  connection: FleetConnectionSchema,
  latency_ms: z.number().nullable().describe('round trip of the last health probe'),
  last_event_at: z.number().nullable().describe('when the hub last received an event from this bot (hub clock, epoch ms)'),
  last_seq: z.number().int().nullable().describe("seq of that event, in the bot's own numbering"),
  error: z.string().nullable().describe('one sentence on why the bot is not connected'),
});
export type FleetHealth = z.infer<typeof FleetHealthSchema>;

export const FleetBotSchema = z.object({
  id: FleetBotIdSchema,
  name: z.string(),
  kind: z.enum(['local', 'remote']),
  url: z.string().nullable().describe('origin of a remote bot; null for this computer'),
  link: FleetLinkSchema,
  status: StatusSchema.nullable().describe('null until the bot first answered'),
  today_pnl: z.number().nullable(),
  health: FleetHealthSchema,
});
export type FleetBot = z.infer<typeof FleetBotSchema>;

/** bots trade different quote currencies: totals are kept per quote rather than adding USDT to BTC */
export const FleetTotalSchema = z.object({ quote: z.string(), equity: z.number(), today_pnl: z.number(), bots: z.number().int() });
export type FleetTotal = z.infer<typeof FleetTotalSchema>;

export const FleetSchema = z.object({ bots: z.array(FleetBotSchema), totals: z.array(FleetTotalSchema) });
export type Fleet = z.infer<typeof FleetSchema>;

export const FLEET_ACTIONS = ['start', 'stop', 'pause', 'resume', 'close-all'] as const;
export const FleetActionSchema = z.enum(FLEET_ACTIONS);
export type FleetAction = z.infer<typeof FleetActionSchema>;

export const FleetOutcomeSchema = z.object({
  bot_id: FleetBotIdSchema,
  name: z.string(),
  result: z.enum(['ok', 'failed', 'unreachable']),
  detail: z.string().describe('what happened, in one sentence'),
});
export type FleetOutcome = z.infer<typeof FleetOutcomeSchema>;
export const FleetOutcomesSchema = z.object({ success: z.literal(true), all_ok: z.boolean(), outcomes: z.array(FleetOutcomeSchema) });

export const FLEET_ALERT_KINDS = ['disconnected', 'reconnected', 'unauthorised', 'paused', 'error'] as const;
export const FleetAlertSchema = z.object({
  bot_id: FleetBotIdSchema,
  name: z.string(),
  kind: z.enum(FLEET_ALERT_KINDS),
  message: z.string().describe('names the bot'),
  ts: z.number(),
});
export type FleetAlert = z.infer<typeof FleetAlertSchema>;

/** a bot's own event as the hub received it (seq in the bot's numbering) */
export const ForwardedEventSchema = z.object({ type: z.string(), ts: z.number(), seq: z.number().int(), data: z.unknown() });

/** data of the hub's `fleet` events (/ws/fleet): a bot's event, a changed row, or an alert */
export const FleetEventDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), bot_id: FleetBotIdSchema, event: ForwardedEventSchema }),
  z.object({ kind: z.literal('row'), bot: FleetBotSchema }),
  z.object({ kind: z.literal('removed'), bot_id: FleetBotIdSchema }),
  z.object({ kind: z.literal('alert'), alert: FleetAlertSchema }),
]);
export type FleetEventData = z.infer<typeof FleetEventDataSchema>;

export const AddFleetBotSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters'),
  url: z.string().min(1, 'must not be empty').max(300),
  token: z.string().regex(/^[\x21-\x7e]{16,512}$/, "must be the server's api-token (16–512 printable characters, no spaces)"),
  vpn_confirmed: z.boolean().optional().describe('required for plain http:// to an address that is not loopback'),
});
