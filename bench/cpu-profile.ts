import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A benchmark worker's profiling commands, for the lines answerCpuQueries does not take: `profile FILE` starts the V8
 * CPU profiler in this process (the worker's `--cpu-prof`, which NODE_OPTIONS does not allow, and only over the part
 * measured, not the start-up), `profile-stop` writes the profile to FILE (a .cpuprofile, as Chrome's DevTools reads
 * it). Each answers one line, `{"ok":true}`, when done.
 */
export function answerProfileCommands(intervalUs = 100): (line: string) => void {
  const session = new Session();
  let file = '';
  const done = () => process.stdout.write('{"ok":true}\n');
  return (line) => {
    if (line.startsWith('profile ')) {
      file = line.slice('profile '.length);
      session.connect();
      void session
        .post('Profiler.enable')
        .then(() => session.post('Profiler.setSamplingInterval', { interval: intervalUs }))
        .then(() => session.post('Profiler.start'))
        .then(done);
    } else if (line === 'profile-stop') {
      void session.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        session.disconnect();
        done();
      });
    }
  };
}
