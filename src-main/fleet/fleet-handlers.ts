import type { FleetOperationHandlers, FleetOutcome } from '../../src-shared/contract';
import type { FleetManager } from './fleet-manager';

const outcomes = (list: FleetOutcome[]) => ({ success: true as const, all_ok: list.every((o) => o.result === 'ok'), outcomes: list });

/** The hub's operations: one-liners over the fleet manager, beside the bot's own handlers in the operation table. */
export function createFleetHandlers(fleet: FleetManager): FleetOperationHandlers {
  return {
    getFleet: () => fleet.fleet(),
    addFleetBot: async (input) => ({ success: true as const, bot: await fleet.add(input.body) }),
    renameFleetBot: (input) => ({ success: true as const, bot: fleet.rename(input.params.id, input.body.name) }),
    removeFleetBot: (input) => {
      fleet.remove(input.params.id);
      return { success: true as const, removed: input.params.id };
    },
    controlFleetBot: async (input, caller) => ({ success: true as const, ...(await fleet.control(input.params.id, input.body.action, caller)) }),
    pauseAll: async (_input, caller) => outcomes(await fleet.pauseAll(caller)),
    closeAllEverywhere: async (_input, caller) => outcomes(await fleet.closeAllEverywhere(caller)),
    callFleetBot: async (input, caller) => ({ result: await fleet.call(input.params.id, input.body.operation, input.body.input ?? {}, caller) }),
  };
}
