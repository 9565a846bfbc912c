#!/usr/bin/env node
// `botdesk`: the terminal client (contract §8), run from this checkout's TypeScript through tsx in this same process
// (no second node, so signals and exit codes are the client's own). `npm link` or `npm install -g .` in a checkout
// links this folder, so its node_modules (tsx included) come along.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  const root = new URL('..', import.meta.url).pathname;
  process.stderr.write(`botdesk: tsx is missing; run npm ci in ${root} (the terminal client runs from a BotDesk checkout)\n`);
  process.exit(1);
}
register();
await import('../src-main/cli/ctl.ts');
