// The hub's operations (docs/contract.md, fleet): part of the one operation table in operations.ts.
import { z } from 'zod';
import {
  AddFleetBotSchema,
  FleetActionSchema,
  FleetBotIdSchema,
  FleetBotSchema,
  FleetOutcomeSchema,
  FleetOutcomesSchema,
  FleetSchema,
} from './fleet.schema';
import { def, Empty } from './operation-def';

const FleetIdParams = z.strictObject({ id: FleetBotIdSchema });

/** The hub: every bot this BotDesk manages. Remote bots are reached only through these (tokens stay in the main process). */
export function fleetOperations() {
  return {
    getFleet: def({
      method: 'GET',
      path: '/fleet',
      scope: 'read',
      summary: "Every managed bot (this computer first): status, today's P&L, connection health; totals per quote currency.",
      output: FleetSchema,
    }),
    addFleetBot: def({
      errors: {
        409: 'the bot is already in the fleet, or the fleet is full',
        502: 'the bot could not be reached or refused the token',
        403: 'the token is read-only where control is needed',
      },
      method: 'POST',
      path: '/fleet/bots',
      scope: 'control',
      summary:
        'Add a remote BotDesk server by URL and token (the token is kept by the hub and never returned). https:// or a loopback URL (an SSH tunnel); plain http:// to another address needs vpn_confirmed. The server is checked first: a wrong token, an unreachable host or a server that is not BotDesk is refused with one sentence.',
      body: AddFleetBotSchema,
      output: z.object({ success: z.literal(true), bot: FleetBotSchema }),
    }),
    renameFleetBot: def({
      errors: { 404: 'no such bot', 409: 'the name is taken or this computer cannot be renamed' },
      method: 'PUT',
      path: '/fleet/bots/:id',
      scope: 'control',
      summary: 'Rename a bot in the fleet.',
      params: FleetIdParams,
      body: z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters') }),
      output: z.object({ success: z.literal(true), bot: FleetBotSchema }),
    }),
    removeFleetBot: def({
      errors: { 404: 'no such bot', 409: 'this computer cannot be removed' },
      method: 'POST',
      path: '/fleet/bots/:id/remove',
      scope: 'control',
      summary: 'Forget a remote bot and its token (the bot itself keeps running). This computer cannot be removed.',
      params: FleetIdParams,
      body: Empty.optional(),
      output: z.object({ success: z.literal(true), removed: FleetBotIdSchema }),
    }),
    controlFleetBot: def({
      errors: {
        404: 'no such bot',
        409: 'the transition makes no sense for that bot',
        502: 'the bot could not be reached',
        403: 'its token is read-only',
      },
      method: 'POST',
      path: '/fleet/bots/:id/control',
      scope: 'control',
      summary: 'start, stop, pause, resume or close-all on one bot of the fleet.',
      params: FleetIdParams,
      body: z.strictObject({ action: FleetActionSchema }),
      output: z.object({ success: z.literal(true), outcome: FleetOutcomeSchema, bot: FleetBotSchema }),
    }),
    pauseAll: def({
      method: 'POST',
      path: '/fleet/pause-all',
      scope: 'control',
      summary: 'Pause every running bot; a bot that cannot be reached is reported, not skipped.',
      body: Empty.optional(),
      output: FleetOutcomesSchema,
    }),
    closeAllEverywhere: def({
      method: 'POST',
      path: '/fleet/close-all',
      scope: 'control',
      summary: 'close-all on every bot (pause entries, close every position at market); per-bot outcomes.',
      body: Empty.optional(),
      output: FleetOutcomesSchema,
    }),
    callFleetBot: def({
      errors: {
        404: 'no such bot or operation',
        409: 'the operation is not callable on a remote, or its answer',
        502: 'the bot could not be reached',
        403: 'its token is read-only',
      },
      method: 'POST',
      path: '/fleet/bots/:id/call',
      scope: 'read',
      summary:
        "Run any bot operation of the table on one fleet bot through the hub (the dashboard pointed at a remote bot). Input is checked against that operation's schemas; control operations need the control token here.",
      params: FleetIdParams,
      body: z.strictObject({
        operation: z.string().min(1).max(64),
        input: z
          .strictObject({
            params: z.record(z.string(), z.unknown()).optional(),
            query: z.record(z.string(), z.unknown()).optional(),
            body: z.unknown().optional(),
            if_match: z.string().max(64).optional(),
          })
          .optional(),
      }),
      output: z.object({ result: z.unknown() }),
    }),
  } as const;
}
