/** The command line, parsed with node:util parseArgs: global flags anywhere, then one command and its arguments. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { OperationName } from '../../../src-shared/contract';
import { FRIENDLY_COMMANDS, findFriendlyCommand, type FriendlyCommand } from './commands';
import { UsageError } from './errors';
import { operationNamed, splitPair } from './operation-input';
import { IMPORT_USAGE } from './import-candles';

export interface GlobalFlags {
  url?: string;
  tokenFile?: string;
  profile?: string;
  json: boolean;
}

export type Invocation =
  | { kind: 'help'; topic?: string; flags: GlobalFlags }
  | { kind: 'events'; types?: string; flags: GlobalFlags }
  | { kind: 'import'; file: string; symbol?: string; timeframe?: string; exchange?: string; flags: GlobalFlags }
  | { kind: 'call'; operation: OperationName; pairs: Array<[string, string]>; command: FriendlyCommand | null; flags: GlobalFlags };

type Options = NonNullable<ParseArgsConfig['options']>;

const GLOBAL_OPTIONS: Options = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};
const EVENTS_FLAGS = { types: 'types' };
const IMPORT_FLAGS = { exchange: 'exchange' };

const stringOptions = (flags: Record<string, string> | undefined): Options =>
  Object.fromEntries(Object.keys(flags ?? {}).map((flag) => [flag, { type: 'string' as const }]));

/** Every command's flags, so the first pass knows which flags take a value and finds the right positionals. */
const ALL_COMMAND_OPTIONS = Object.assign(
  {},
  stringOptions(EVENTS_FLAGS),
  stringOptions(IMPORT_FLAGS),
  ...FRIENDLY_COMMANDS.map((c) => stringOptions(c.flags)),
) as Options;

function strictParse(args: string[], commandFlags: Record<string, string> | undefined, usage?: string) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...stringOptions(commandFlags) }, strict: true, allowPositionals: true });
  } catch (e) {
    // parseArgs's hint about positionals after `--` only confuses here; its hint for `--flag=-5` helps
    const sentences = (e as Error).message.split(/(?<=[.?])\s+/).filter((l) => !l.startsWith('To specify a positional'));
    throw new UsageError(sentences.join(' '), usage);
  }
}

export function parseInvocation(args: string[]): Invocation {
  if (args.some((a) => a === '--token' || a.startsWith('--token='))) {
    throw new UsageError(
      'a token is never taken from the command line (it would show in ps and the shell history); use --token-file FILE or BOT_API_TOKEN_FILE',
    );
  }
  const loose = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...ALL_COMMAND_OPTIONS }, strict: false, allowPositionals: true });
  const [first, second] = loose.positionals;
  if (first === undefined || first === 'help') {
    if (first === undefined && !loose.values.help) throw new UsageError('no command given');
    const parsed = strictParse(args, undefined);
    return { kind: 'help', topic: parsed.positionals.slice(1).join(' ') || undefined, flags: globalFlags(parsed.values) };
  }
  if (loose.values.help) return { kind: 'help', topic: loose.positionals.join(' '), flags: { json: false } };

  if (first === 'events') {
    const parsed = strictParse(args, EVENTS_FLAGS, 'usage: botdesk events [--types a,b]');
    if (parsed.positionals.length > 1)
      throw new UsageError(`events takes no argument "${parsed.positionals[1]}"`, 'usage: botdesk events [--types a,b]');
    return { kind: 'events', types: parsed.values.types as string | undefined, flags: globalFlags(parsed.values) };
  }

  if (first === 'history' && second === 'import') {
    const parsed = strictParse(args, IMPORT_FLAGS, IMPORT_USAGE);
    const [file, symbol, timeframe, ...extra] = parsed.positionals.slice(2);
    if (!file || (symbol !== undefined && timeframe === undefined) || extra.length)
      throw new UsageError(file ? 'give both SYMBOL and TIMEFRAME, or neither' : 'history import needs FILE', IMPORT_USAGE);
    return {
      kind: 'import',
      file,
      symbol,
      timeframe,
      exchange: parsed.values.exchange as string | undefined,
      flags: globalFlags(parsed.values),
    };
  }

  // the generic form: `call NAME KEY=VALUE…`, or the operation's name as the command
  const generic = first === 'call' ? second : operationNamed(first) ? first : undefined;
  if (generic !== undefined || first === 'call') {
    const operation = generic !== undefined ? operationNamed(generic) : null;
    if (!operation)
      throw new UsageError(
        generic === undefined
          ? 'call needs an operation name (botdesk help lists them)'
          : `no operation "${generic}" (botdesk help lists them)`,
      );
    const parsed = strictParse(args, undefined);
    const rest = parsed.positionals.slice(first === 'call' ? 2 : 1);
    return { kind: 'call', operation, pairs: rest.map(splitPair), command: null, flags: globalFlags(parsed.values) };
  }

  const command = findFriendlyCommand(loose.positionals);
  if (!command) throw new UsageError(`unknown command "${loose.positionals.slice(0, 2).join(' ')}"`);
  const usage = `usage: botdesk ${command.name} ${command.args}`.trimEnd();
  const parsed = strictParse(args, command.flags, usage);
  const rest = parsed.positionals.slice(command.name.split(' ').length);
  const pairs: Array<[string, string]> = [];
  for (const [flag, key] of Object.entries(command.flags ?? {})) {
    const value = parsed.values[flag];
    if (typeof value === 'string') pairs.push([key, value]);
  }
  const wanted = command.positionals ?? [];
  wanted.forEach((key, i) => {
    if (rest[i] === undefined) throw new UsageError(`${command.name} needs ${key.toUpperCase()}`, usage);
    pairs.push([key, rest[i]]);
  });
  const extra = rest.slice(wanted.length);
  if (extra.length && !command.pairs) throw new UsageError(`${command.name} takes no argument "${extra[0]}"`, usage);
  if (command.pairs && !extra.length) throw new UsageError(`${command.name} needs at least one KEY=VALUE`, usage);
  pairs.push(...extra.map(splitPair));
  return { kind: 'call', operation: command.operation, pairs, command, flags: globalFlags(parsed.values) };
}

function globalFlags(values: Record<string, string | boolean | (string | boolean)[] | undefined>): GlobalFlags {
  return {
    url: values.url as string | undefined,
    tokenFile: values['token-file'] as string | undefined,
    profile: values.profile as string | undefined,
    json: values.json === true,
  };
}
