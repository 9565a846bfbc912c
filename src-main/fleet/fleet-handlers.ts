import { operations, type FleetOperationHandlers, type FleetOutcome, type OperationName } from '../../src-shared/contract';
import type { Audit } from '../operations/audit';
import type { FleetManager } from './fleet-manager';

const outcomes = (list: FleetOutcome[]) => ({ success: true as const, all_ok: list.every((o) => o.result === 'ok'), outcomes: list });
/** per bot, what an action across the fleet did: the hub's own record of it (each bot also audits its part) */
const resultsOf = (list: FleetOutcome[]) => Object.fromEntries(list.map((o) => [o.bot_id, o.result]));
const isControl = (operation: string) => Object.hasOwn(operations, operation) && operations[operation as OperationName].scope === 'control';

/**
 * The hub's operations: one-liners over the fleet manager, beside the bot's own handlers in the operation table.
 * Every change and every control action through the hub lands in the hub's audit log too, naming the bot.
 */
export function createFleetHandlers(fleet: FleetManager, audit: Audit): FleetOperationHandlers {
  return {
    getFleet: () => fleet.fleet(),
    addFleetBot: async (input, caller) => {
      const bot = await fleet.add(input.body);
      audit('fleet_add', caller, { bot_id: bot.id, name: bot.name, url: bot.url });
      return { success: true as const, bot };
    },
    renameFleetBot: (input, caller) => {
      const bot = fleet.rename(input.params.id, input.body.name);
      audit('fleet_rename', caller, { bot_id: bot.id, name: bot.name });
      return { success: true as const, bot };
    },
    removeFleetBot: (input, caller) => {
      fleet.remove(input.params.id);
      audit('fleet_remove', caller, { bot_id: input.params.id });
      return { success: true as const, removed: input.params.id };
    },
    controlFleetBot: async (input, caller) => {
      const done = await fleet.control(input.params.id, input.body.action, caller);
      audit('fleet_control', caller, { bot_id: input.params.id, action: input.body.action, result: done.outcome.result });
      return { success: true as const, ...done };
    },
    pauseAll: async (_input, caller) => {
      const list = await fleet.pauseAll(caller);
      audit('fleet_pause_all', caller, { results: resultsOf(list) });
      return outcomes(list);
    },
    closeAllEverywhere: async (_input, caller) => {
      const list = await fleet.closeAllEverywhere(caller);
      audit('fleet_close_all_everywhere', caller, { results: resultsOf(list) });
      return outcomes(list);
    },
    callFleetBot: async (input, caller) => {
      const result = await fleet.call(input.params.id, input.body.operation, input.body.input ?? {}, caller);
      // reads are not worth a record; a control operation sent through the hub is
      if (isControl(input.body.operation)) audit('fleet_call', caller, { bot_id: input.params.id, operation: input.body.operation });
      return { result };
    },
  };
}
