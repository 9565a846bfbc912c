import { z } from 'zod';
import { ConfigVersionSchema } from './config.schema';
import { FleetEventDataSchema } from './fleet.schema';
import { JobEventSchema } from './lab.schema';
import { LogRecordSchema, OrderSchema, PositionSchema, SignalSchema, StatusSchema, TradeSchema } from './trading.schema';

/** Event payloads by type (docs/contract.md §5). */
export const eventDataSchemas = {
  status_change: StatusSchema,
  trade: TradeSchema,
  signal: SignalSchema,
  order: OrderSchema,
  position: PositionSchema.extend({ status: z.enum(['open', 'closed']) }),
  config_changed: ConfigVersionSchema,
  error: z.object({ code: z.string(), message: z.string() }),
  log: LogRecordSchema,
  /** a lab job moved (docs/contract.md §11): its state, or its progress (at most a few times a second) */
  job: JobEventSchema,
  /** only on the hub's /ws/fleet stream, never on a bot's own /ws/events */
  fleet: FleetEventDataSchema,
} as const;

/** the types a bot's own stream (/ws/events) carries; `fleet` events come only from the hub's /ws/fleet */
export const EVENT_TYPES = (Object.keys(eventDataSchemas) as EventType[]).filter((t) => t !== 'fleet');
export type EventType = keyof typeof eventDataSchemas;
export const EventTypeSchema = z.enum(Object.keys(eventDataSchemas) as [EventType, ...EventType[]]);

export type EventData<T extends EventType> = z.infer<(typeof eventDataSchemas)[T]>;

export type BotEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; ts: number; seq: number; data: EventData<K> };
}[T];

export const BotEventSchema = z.discriminatedUnion(
  'type',
  Object.entries(eventDataSchemas).map(([type, data]) =>
    z.object({ type: z.literal(type), ts: z.number(), seq: z.number().int(), data }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** Error codes carried by `error` events. */
export const ERROR_CODES = {
  dailyLossLimit: 'daily_loss_limit',
  orderRejected: 'order_rejected',
  exchange: 'exchange_error',
  feed: 'feed_error',
  reconcile: 'reconcile_error',
} as const;

/**
 * A log record carrying this field marks the exchange link going down (`'lost'`: the circuit breaker tripped, or
 * market data polls keep failing) or coming back (`'restored'`). Desktop notifications and monitors key on it rather
 * than on the wording of the message.
 */
export const CONNECTION_LOG_FIELD = 'connection';
export type ConnectionLogValue = 'lost' | 'restored';
