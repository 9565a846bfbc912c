/**
 * botdesk / npm run ctl -- [--url URL] [--token-file FILE] [--profile NAME] [--json] COMMAND [ARGS]
 * The terminal client of docs/contract.md §8. This file only wires the process (argv, streams, signals, exit code) to runCtl.
 */
import { runCtl } from './ctl/run';

const abort = new AbortController();
// Ctrl-C ends `events` cleanly (exit 0); a one-shot command just stops
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  });
}
// `botdesk events | head -3`: a closed pipe is the reader's way of saying enough
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

const code = await runCtl(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  signal: abort.signal,
  stdoutIsTTY: process.stdout.isTTY === true,
});
// fetch keeps idle sockets open for a few seconds; wait only for our own output to drain, then leave
process.stdout.write('', () => process.exit(code));
