// A parent that never reaps its child, as a busy or slow supervisor: it starts the command, prints "child <pid>",
// passes the child's stdout on until it matches the pattern (argv[2]), then blocks its event loop for good, so a
// child killed after that stays a zombie whose pid still exists.
import { spawn } from 'node:child_process';

const [pattern, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
process.stdout.write(`child ${child.pid}\n`);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d); // a pipe: written synchronously, so nothing is lost when the loop blocks
  if (new RegExp(pattern, 'm').test(out)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});
child.on('exit', (code) => process.exit(code ?? 1));
