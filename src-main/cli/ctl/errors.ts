import { ApiError } from '../../../src-shared/api-client/api-error';

/** Exit codes of docs/contract.md §8. */
export const EXIT = { ok: 0, refused: 1, usage: 2, interrupted: 130 } as const;

export const USAGE_LINE =
  'usage: botdesk [--url URL] [--token-file FILE] [--profile NAME] [--json] COMMAND [ARGS]   (botdesk help lists the commands)';

/** The command line cannot work as given (unknown command, bad flag, missing value, no token file): exit 2. */
export class UsageError extends Error {
  /** `usage`: the line printed under the message (a command's own usage when it is known), or false for none */
  constructor(
    message: string,
    readonly usage: string | false = USAGE_LINE,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where the client was talking to, so a failure can name it (never the token itself). */
export interface Target {
  url: string;
  tokenFile: string | null;
}

/**
 * Every failure becomes a few plain lines on stderr and an exit code; never a stack trace.
 * The API's own sentence is printed as is, each field error on its own line.
 */
export function describeFailure(e: unknown, target: Target | null): { lines: string[]; code: number } {
  if (e instanceof UsageError) return { lines: [`botdesk: ${e.message}`, ...(e.usage ? [e.usage] : [])], code: EXIT.usage };
  if (e instanceof ApiError) {
    if (e.status === 0) {
      return {
        lines: [`botdesk: cannot reach the bot at ${target?.url ?? 'its URL'}; is the server running (or is --url / BOT_API_URL wrong)?`],
        code: EXIT.refused,
      };
    }
    const head =
      e.status === 401
        ? `botdesk: the token in ${target?.tokenFile ?? 'the token file'} was refused by ${target?.url ?? 'the server'} (401: ${e.message})`
        : `botdesk: ${e.message} (HTTP ${e.status})`;
    const fields = Object.entries(e.fields).map(([field, why]) => `  ${field}: ${why}`);
    return { lines: [head, ...fields], code: EXIT.refused };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { lines: [`botdesk: ${message}`], code: EXIT.refused };
}
