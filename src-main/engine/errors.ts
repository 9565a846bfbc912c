/** What kind of expected failure: the input breaks a rule, the state forbids it now, or the thing is not there. */
export type FailureKind = 'invalid' | 'conflict' | 'not_found';

/**
 * An expected failure of the engine, in its own words (a config that breaks a rule, with its fields; a change the
 * bot's state forbids; a version that does not exist). The engine knows no HTTP: the operations layer chooses a
 * status for each kind (operations/invoke-operation.ts).
 */
export class EngineError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
