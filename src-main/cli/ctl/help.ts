/** `botdesk help [TOPIC]`: the friendly commands, then every operation of the table with its summary and keys. */
import { EVENT_TYPES, isHttpOperation, operations, type OperationName } from '../../../src-shared/contract';
import { FRIENDLY_COMMANDS, findFriendlyCommand } from './commands';
import { DEFAULT_URL } from './connection';
import { UsageError } from './errors';
import { operationKeys, operationNamed } from './operation-input';
import { pairs } from './text';

const firstSentence = (text: string) => text.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? text;

const EVENTS_LINE: [string, string] = ['events [--types a,b]', 'Follow the event stream, one line per event (Ctrl-C ends it).'];
const IMPORT_LINE: [string, string] = [
  'history import FILE [SYMBOL TIMEFRAME] [--exchange ID]',
  "Add a candle file (the backtest CLI's format; the market from a BASE_QUOTE-TF.json name) to the history.",
];

function usageOf(name: string, args: string): string {
  return `${name} ${args}`.trimEnd();
}

const columns = (rows: Array<[string, string]>): string => pairs(rows, '  ');

export function generalHelp(env: { profilesFile: string; tokenFile: string }): string {
  const commands: Array<[string, string]> = FRIENDLY_COMMANDS.map((c) => [
    usageOf(c.name, c.args),
    c.summary ?? firstSentence(operations[c.operation].summary),
  ]);
  commands.push(EVENTS_LINE);
  commands.push(IMPORT_LINE);
  commands.push(['call OPERATION [KEY=VALUE…]', 'Any operation below by name (also: botdesk OPERATION KEY=VALUE…).']);
  commands.push(['help [COMMAND|OPERATION]', "This text, or one command's keys."]);
  // the window's own operations (exchange keys) have no HTTP route: not the terminal's business
  const names = (Object.keys(operations) as OperationName[]).filter(isHttpOperation);
  const routeWidth = Math.max(...names.map((n) => operations[n].path.length)) + 5;
  const ops: Array<[string, string]> = names.map((name) => {
    const op = operations[name];
    return [name, `${`${op.method.padEnd(4)} ${op.path}`.padEnd(routeWidth)}  ${firstSentence(op.summary)}`];
  });
  return [
    'usage: botdesk [--url URL] [--token-file FILE] [--profile NAME] [--json] COMMAND [ARGS]',
    '',
    'commands:',
    columns(commands),
    '',
    'operations (botdesk call NAME KEY=VALUE…; `botdesk help NAME` lists its keys):',
    columns(ops),
    '',
    'connection:',
    `  --url URL          or BOT_API_URL (default ${DEFAULT_URL})`,
    `  --token-file FILE  or BOT_API_TOKEN_FILE (default ${env.tokenFile}); never a token on the command line`,
    `  --profile NAME     or BOT_PROFILE: url and token_file from ${env.profilesFile}`,
    "  --json             the API's JSON on stdout and nothing else (events: one document per line)",
    '',
    'exit codes: 0 done, 1 the API or the network refused (reason on stderr), 2 usage error',
  ].join('\n');
}

function operationHelp(name: OperationName, heading: string): string {
  const op = operations[name];
  const keys = operationKeys(name);
  const keyRows: Array<[string, string]> = keys.map((k) => [`${k.name}=…`, `${k.place}${k.description ? `: ${k.description}` : ''}`]);
  return [
    heading,
    `  ${op.method} /api/v1${op.path}  (${op.scope === 'public' ? 'no token' : `${op.scope} token`})`,
    `  ${op.summary}`,
    ...(keyRows.length ? ['keys (body values are JSON where they parse, else strings):', columns(keyRows)] : ['takes no keys']),
  ].join('\n');
}

/** `topic` is what follows `help`, or a whole command line followed by --help (`config set a=1 --help`). */
export function topicHelp(line: string): string {
  const topic = line.replace(/^call\s+/, '');
  if (topic === 'events' || topic.startsWith('events '))
    return `botdesk ${EVENTS_LINE[0]}\n  ${EVENTS_LINE[1]}\n  types: ${EVENT_TYPES.join(', ')}`;
  if (topic.startsWith('history import'))
    return `botdesk ${IMPORT_LINE[0]}\n  ${IMPORT_LINE[1]}\n  sent in calls of at most 10,000 candles (importCandles)`;
  const operation = operationNamed(topic.split(' ')[0]);
  if (operation) return operationHelp(operation, `botdesk call ${operation} [KEY=VALUE…]`);
  const command = findFriendlyCommand(topic.split(' '));
  if (command) {
    const flags = Object.entries(command.flags ?? {}).map(([flag, key]) => `  --${flag} fills ${key}`);
    return [
      operationHelp(command.operation, `botdesk ${usageOf(command.name, command.args)}   (operation ${command.operation})`),
      ...flags,
    ].join('\n');
  }
  throw new UsageError(`no command or operation "${topic}" (botdesk help lists them)`);
}
