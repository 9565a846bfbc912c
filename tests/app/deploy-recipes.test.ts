// The supervision recipes in deploy/ (README "Restart after a crash"): what matters in each is checked, then the
// server is run with the environment and umask each one gives it.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv, isLoopbackHost } from '../../src-main/app/env';
import { headlessArgs } from '../../scripts/headless-entry.mjs';
import { killHard, LISTENING, root, startWatched, type Started } from '../helpers/lock-processes';
import { waitFor } from '../helpers/wait';

const deploy = (name: string) => readFileSync(join(root, 'deploy', name), 'utf8');
/** code lines of a file: comments and blank lines dropped, continuation lines joined */
const codeLines = (text: string) =>
  text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** a systemd unit: section → key → every value given (Environment= may repeat) */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const unit: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const line of codeLines(text)) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1];
    else {
      const [key, ...value] = line.split('=');
      ((unit[section] ??= {})[key] ??= []).push(value.join('='));
    }
  }
  return unit;
}

/** Environment=A=1 lines (one assignment each) as an env object */
const unitEnv = (values: string[] = []): NodeJS.ProcessEnv =>
  Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));

/** the Dockerfile's instructions of its last stage, the image that runs */
function runStage(text: string): { instruction: string; args: string }[] {
  const all = codeLines(text).map((l) => ({
    instruction: l.split(/\s+/)[0].toUpperCase(),
    args: l.slice(l.split(/\s+/)[0].length).trim(),
  }));
  return all.slice(all.map((i) => i.instruction).lastIndexOf('FROM'));
}

const started: Started[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(killHard));
});

/**
 * The server started the way a recipe starts it: its environment (BOT_DATA_DIR moved to a fresh folder), under `sh -c`
 * with its umask. Returns the data folder's files and their modes, and the address it listens on.
 */
async function runAsRecipe(env: NodeJS.ProcessEnv, umask: string): Promise<{ modes: Record<string, number>; url: string }> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'botdesk-recipe-')), 'data');
  const entry = [process.execPath, ...headlessArgs(root)].map((a) => `'${a}'`).join(' ');
  const server = startWatched('/bin/sh', ['-c', `umask ${umask} && exec ${entry}`], LISTENING, {
    env: { ...process.env, ...env, BOT_DATA_DIR: dataDir, BOT_API_PORT: '0', BOT_MARKET: 'synthetic' },
  });
  started.push(server);
  const out = await server.ready;
  expect(out, (await Promise.race([server.exited, Promise.resolve({ stderr: '(running)' })])).stderr).not.toBeNull();
  // every file the bot keeps, including the ones SQLite makes on the first write (the log flush's, within a second)
  await waitFor(
    () => ['botdesk.sqlite-wal', 'botdesk.sqlite-shm'].every((f) => existsSync(join(dataDir, f))),
    'the database written',
    10_000,
  );
  const modes: Record<string, number> = { '.': statSync(dataDir).mode & 0o777 };
  for (const f of readdirSync(dataDir)) modes[f] = statSync(join(dataDir, f)).mode & 0o777;
  return { modes, url: /listening on (\S+)/.exec(out!)![1] };
}

/** what both recipes must give: files private to the bot (the token file above all), the API on loopback */
function expectPrivateAndLoopback(run: { modes: Record<string, number>; url: string }): void {
  expect(Object.keys(run.modes)).toEqual(expect.arrayContaining(['api-token', 'botdesk.sqlite', 'botdesk.lock.db']));
  for (const [file, mode] of Object.entries(run.modes)) expect(mode & 0o077, `${file} is 0${mode.toString(8)}`).toBe(0);
  expect(isLoopbackHost(new URL(run.url).hostname)).toBe(true);
}

describe('deploy/botdesk.service (systemd)', () => {
  const unit = parseUnit(deploy('botdesk.service'));
  const service = unit.Service;

  it('restarts the bot after a crash, soon, but not after a configuration error', () => {
    expect(service.Restart).toEqual(['on-failure']);
    expect(Number(service.RestartSec[0])).toBeLessThanOrEqual(5);
    expect(service.RestartPreventExitStatus[0].split(/\s+/)).toContain('2'); // headless exits 2 on a bad BOT_* variable
    expect(service.KillSignal ?? ['SIGTERM']).toEqual(['SIGTERM']);
    expect(unit.Install.WantedBy).toEqual(['multi-user.target']);
  });

  it('keeps the data in its state directory, private to the bot, and the API on loopback', () => {
    const env = readEnv(unitEnv(service.Environment));
    expect(env.dataDir).toBe(`/var/lib/${service.StateDirectory[0]}`);
    expect(service.StateDirectoryMode).toEqual(['0700']);
    expect(parseInt(service.UMask[0], 8) & 0o077).toBe(0o077);
    expect(isLoopbackHost(env.host)).toBe(true);
    expect(env.allowRemote).toBe(false);
  });

  it('runs the built headless entry from the checkout it names', () => {
    const [node, entry] = service.ExecStart[0].split(/\s+/);
    expect(node).toMatch(/\/node$/);
    expect(entry).toBe(join(service.WorkingDirectory[0], 'out/main/headless.js'));
    expect(readFileSync(join(root, 'electron.vite.config.ts'), 'utf8')).toMatch(/headless: resolve\('src-main\/headless\.ts'\)/);
  });

  it.runIf(spawnSync('systemd-analyze', ['--version']).status === 0)('passes systemd-analyze verify without a remark', () => {
    const r = spawnSync('systemd-analyze', ['verify', join(root, 'deploy', 'botdesk.service')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr + r.stdout).toBe('');
  });

  it('run with its environment and UMask, the server keeps every file private and listens on loopback', async () => {
    expectPrivateAndLoopback(await runAsRecipe(unitEnv(service.Environment), service.UMask[0]));
  }, 60_000);
});

describe('deploy/Dockerfile and deploy/compose.yaml (containers)', () => {
  const dockerfile = deploy('Dockerfile');
  const stage = runStage(dockerfile);
  const args = (instruction: string) => stage.filter((i) => i.instruction === instruction).map((i) => i.args);
  const env = Object.fromEntries(args('ENV').map((a) => /^(\w+)[= ](.*)$/.exec(a)!.slice(1)));
  const cmd = JSON.parse(args('CMD')[0]) as string[];

  it('runs under an init (tini as PID 1) as an unprivileged user', () => {
    expect(JSON.parse(args('ENTRYPOINT')[0])).toEqual(['/usr/bin/tini', '--']);
    expect(args('RUN').join(' ')).toMatch(/apt-get install .*\btini\b/);
    expect(args('USER')).toEqual(['node']);
  });

  it('keeps the data on a volume, private to the bot, and the API on loopback', () => {
    const parsed = readEnv(env);
    expect(JSON.stringify(args('VOLUME'))).toContain(parsed.dataDir);
    expect(args('RUN').join(' ')).toContain(`chmod 700 ${parsed.dataDir}`);
    expect(cmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(cmd[2]).toMatch(/^umask 077 && exec node out\/main\/headless\.js$/);
    expect(env.BOT_API_HOST).toBeUndefined();
    expect(isLoopbackHost(parsed.host)).toBe(true);
  });

  it('copies only what the repository has, and leaves the build outputs and modules out of the context', () => {
    for (const copy of args('COPY').filter((a) => !a.startsWith('--from'))) {
      for (const source of copy.split(/\s+/).slice(0, -1)) if (source !== '.') expect(existsSync(join(root, source)), source).toBe(true);
    }
    const ignored = codeLines(readFileSync(join(root, '.dockerignore'), 'utf8'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'out']));
  });

  it("compose restarts it unless stopped, with the data on a named volume and the host's loopback", () => {
    const compose = deploy('compose.yaml');
    expect(compose).toMatch(/^\s+restart: unless-stopped$/m);
    expect(compose).toMatch(/^\s+network_mode: host$/m);
    expect(compose).toMatch(new RegExp(`^\\s+- botdesk-data:${readEnv(env).dataDir}$`, 'm'));
    expect(compose).toMatch(/^\s+dockerfile: deploy\/Dockerfile$/m);
    expect(compose).not.toMatch(/BOT_API_HOST|BOT_API_ALLOW_REMOTE|ports:/);
  });

  it("run with its environment and its CMD's umask, the server keeps every file private and listens on loopback", async () => {
    const umask = /^umask (\d+) &&/.exec(cmd[2])![1];
    expectPrivateAndLoopback(await runAsRecipe(env, umask));
  }, 60_000);
});
