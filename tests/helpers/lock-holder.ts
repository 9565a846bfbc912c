// A process that takes the instance lock on a data dir and holds it until killed: prints "locked <pid> <ms>" (the
// time acquiring took), or the refusal on stderr and exits 1, as the headless server does.
import { acquireInstanceLock } from '../../src-main/app/instance-lock';

const dataDir = process.argv[2];
const started = performance.now();
try {
  acquireInstanceLock(dataDir);
} catch (e) {
  process.stderr.write(`BotDesk: ${(e as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`locked ${process.pid} ${(performance.now() - started).toFixed(1)}\n`);
setInterval(() => {}, 1 << 30);
