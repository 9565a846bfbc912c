import { ServiceError, type LabOperationHandlers } from '../../src-shared/contract';
import { Lab, LabExchangeUnreachable } from '../engine/lab/lab';

/** The strategy lab's operations (docs/contract.md §11): one-liners over the Lab; its failures get their status here. */
export function createLabHandlers(lab: Lab): LabOperationHandlers {
  return {
    getHistory: () => ({ sets: lab.history() }),
    getHistoryCandles: (input) => lab.candleBars(input.query),
    importCandles: (input) => ({ success: true as const, ...lab.importCandles(input.body) }),
    downloadHistory: async (input) => {
      try {
        return { success: true as const, job: await lab.download(input.body) };
      } catch (e) {
        if (e instanceof LabExchangeUnreachable) throw new ServiceError(502, e.message);
        throw e;
      }
    },
    startBacktest: (input) => ({ success: true as const, job: lab.backtest(input.body) }),
    startSweep: (input) => ({ success: true as const, job: lab.sweep(input.body) }),
    listJobs: (input) => ({ jobs: lab.listJobs(input.query) }),
    getJob: (input) => lab.getJob(input.params.id),
    cancelJob: (input) => ({ success: true as const, job: lab.cancelJob(input.params.id) }),
  };
}
