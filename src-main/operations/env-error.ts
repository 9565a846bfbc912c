/** A start that cannot go on as configured (an environment variable, a key file, a market): one line, then exit. */
export class EnvError extends Error {}
