// The terminal client as a user runs it: a child process (node --import tsx, as npm run ctl does, without npm's banner
// lines) against a real server on a real socket, checked by what it prints, its exit code and what the API then says.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_OPERATIONS, isHttpOperation, operations, type OperationName } from '../../src-shared/contract';
import { opaqueInputs } from '../../src-main/cli/ctl/operation-input';
import { runCtl } from '../../src-main/cli/ctl/run';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { waitFor } from '../helpers/wait';

const ENTRY = 'src-main/cli/ctl.ts';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let api: ApiHarness;
let home: string;
let baseEnv: NodeJS.ProcessEnv;
/** everything any run printed, to prove the token never shows */
const printed: string[] = [];

/** `via: 'bin'` runs the installed launcher (bin/botdesk.mjs) instead of the entry through tsx. */
function ctl(args: string[], env: NodeJS.ProcessEnv = {}, via: 'tsx' | 'bin' = 'tsx'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const command = via === 'bin' ? ['bin/botdesk.mjs'] : ['--import', 'tsx', ENTRY];
    const child = spawn(process.execPath, [...command, ...args], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      printed.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** In-process runs for the many small checks (spawning tsx costs about a second each on this machine). */
async function ctlInProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCtl(args, { env: { ...baseEnv, ...env }, out: (t) => (stdout += t), err: (t) => (stderr += t) });
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

const status = async () => (await api.call('GET', '/bot/status')).body as { state: string; open_positions: number };

beforeAll(async () => {
  // slow candles: the synthetic walk must not carry a test's position to its stop while the test looks at it
  api = await startApi({ replaySpeed: 4 });
  home = mkdtempSync(join(tmpdir(), 'botdesk-ctl-home-'));
  baseEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    TZ: 'UTC',
    BOT_API_URL: api.url,
    BOT_API_TOKEN_FILE: join(api.dataDir, 'api-token'),
  };
});
afterAll(async () => {
  await api?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('botdesk (terminal client)', () => {
  it('drives the lifecycle: each transition is what the API then reports', async () => {
    const start = await ctl(['start']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^(now|already) running\n$/);
    expect((await status()).state).toBe('running');

    const [pause, human] = await Promise.all([ctl(['pause']), ctl(['status'])]);
    expect(pause.stdout).toBe('now paused\n');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^state +(running|paused)/m);
    expect(human.stdout).toMatch(/^mode +PAPER — simulated fills on synthetic candles$/m);
    expect(human.stdout).toMatch(/^equity +\d+\.\d\d USDT/m);
    expect(human.stdout).toMatch(/^pnl +realised [+-]?\d.*; \d+ trades$/m);
    expect((await status()).state).toBe('paused');

    const resume = await ctl(['resume', '--json']);
    expect(resume.code).toBe(0);
    expect(JSON.parse(resume.stdout)).toMatchObject({ success: true, changed: true, status: { state: 'running' } });
    expect((await status()).state).toBe('running');
  });

  it('prints the API JSON and nothing else on stdout with --json', async () => {
    const [st, cfg] = await Promise.all([ctl(['--json', 'status']), ctl(['config', '--json'])]);
    expect(st.code).toBe(0);
    expect(st.stderr).toBe('');
    expect(st.stdout.endsWith('\n')).toBe(true);
    expect(st.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(st.stdout);
    expect(parsed).toMatchObject({ state: 'running', mode: 'paper', market: 'synthetic' });
    expect(Object.keys(parsed).sort()).toEqual(Object.keys((await api.call('GET', '/bot/status')).body).sort());
    expect(JSON.parse(cfg.stdout)).toEqual((await api.call('GET', '/bot/config')).body);
  });

  it('config set applies the keys it is given, and on a 400 prints every field error and changes nothing', async () => {
    const ok = await ctl(['config', 'set', 'stop_loss_pct=2', 'max_positions=3']);
    expect(ok.code, ok.stderr).toBe(0);
    const after = (await api.call('GET', '/bot/config')).body;
    expect(after).toMatchObject({ stop_loss_pct: 2, max_positions: 3 });
    expect(ok.stdout).toBe(`config version ${after.version}: stop_loss_pct=2 max_positions=3\n`);

    const bad = await ctl(['config', 'set', 'stop_loss_pct=-1', 'max_positions="three"', 'enabled=false']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    const lines = bad.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^botdesk: .+\(HTTP 400\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}stop_loss_pct: \S/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}max_positions: \S/));
    expect(bad.stderr).not.toMatch(/\bat .+\.ts:\d+/); // no stack trace
    expect((await api.call('GET', '/bot/config')).body).toEqual(after);

    const stale = await ctlInProcess(['config', 'set', 'stop_loss_pct=3', '--if-match', String(after.version - 1)]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/\(HTTP 409\)/);
    const current = await ctlInProcess(['config', 'set', 'stop_loss_pct=3', '--if-match', String(after.version)]);
    expect(current.code, current.stderr).toBe(0);
  });

  it('opens, lists, closes all, and finds the trade by --from/--to', async () => {
    // paused, far stops and a strategy that hardly ever exits: the position stays open while the test looks at it
    await api.call('POST', '/bot/pause');
    const calm = await ctlInProcess([
      'config',
      'set',
      'stop_loss_pct=50',
      'take_profit_pct=1000',
      'strategy={"name":"rsi_reversion","params":{"overbought":99}}',
    ]);
    expect(calm.code, calm.stderr).toBe(0);
    const open = await ctl(['open', '--size-pct', '5', '--json']);
    expect(open.code, open.stderr).toBe(0);
    const position = JSON.parse(open.stdout).position;
    expect(position.amount).toBeGreaterThan(0);

    const [positions, balances, cancel] = await Promise.all([ctl(['positions']), ctl(['balances']), ctl(['cancel-pending'])]);
    expect(positions.stdout).toMatch(new RegExp(`^ *${position.id} +XRP/USDT`, 'm'));
    expect(balances.code).toBe(0);
    expect(balances.stdout).toMatch(/^asset +free +used +total$/m);
    expect(balances.stdout).toMatch(/^USDT +\d/m);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^cancelled \d+ orders?\n$/);

    const closeAll = await ctl(['close-all']);
    expect(closeAll.code, closeAll.stderr).toBe(0);
    expect(closeAll.stdout).toMatch(/^closed [1-9]\d* positions?; the bot is paused$/m);
    expect(closeAll.stdout).toMatch(/close_all/);
    expect(await status()).toMatchObject({ state: 'paused', open_positions: 0 });

    const trades = (await api.call('GET', '/bot/trades?limit=1000')).body.trades as Array<{
      id: number;
      exit_time: number;
      exit_reason: string;
    }>;
    const closed = trades.find((t) => t.exit_reason === 'close_all')!;
    const t = closed.exit_time;
    const [inWindow, after, human, upsideDown] = await Promise.all([
      ctl(['trades', '--from', new Date(t).toISOString(), '--to', String(t), '--json']),
      ctl(['trades', '--from', String(t + 1), '--json']),
      ctl(['trades', '--from', String(t), '--to', String(t)]),
      ctl(['trades', '--from', String(t + 1), '--to', String(t)]),
    ]);
    expect(inWindow.code, inWindow.stderr).toBe(0);
    expect(JSON.parse(inWindow.stdout).trades.map((x: { id: number }) => x.id)).toContain(closed.id);
    expect(JSON.parse(after.stdout).trades.map((x: { id: number }) => x.id)).not.toContain(closed.id);
    expect(human.stdout).toMatch(new RegExp(`^ *${closed.id} .+ close_all$`, 'm'));
    expect(human.stdout).toMatch(/shown of \d+; total pnl [+-]?\d/);
    expect(upsideDown.code).toBe(1);
    expect(upsideDown.stderr).toMatch(/^ {2}from: /m);
  });

  it('logs honours --level and --limit', async () => {
    api.runtime.logger.warn('cli test warning one');
    api.runtime.logger.error('cli test error two');
    const [warn, debug, human] = await Promise.all([
      ctl(['logs', '--level', 'warn', '--limit', '2', '--json']),
      ctl(['logs', '--level', 'debug', '--limit', '3', '--json']),
      ctl(['logs', '--level', 'error', '--limit', '1']),
    ]);
    const warnRecords = JSON.parse(warn.stdout) as Array<{ level: string; msg: string }>;
    expect(warnRecords.map((r) => r.msg)).toEqual(['cli test error two', 'cli test warning one']);
    expect(JSON.parse(debug.stdout)).toHaveLength(3);
    expect(human.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d error cli test error two\n$/);
  });

  it('follows events one line each until Ctrl-C, then exits 0', async () => {
    const follow = (args: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'events', '--types', 'config_changed', ...args], {
        env: baseEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = { stdout: '', stderr: '' };
      child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
      let code: number | null | undefined;
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve((code = c))));
      return { child, out, exited, done: () => code !== undefined };
    };
    const human = follow([]);
    const json = follow(['--json']);
    // `botdesk events | head -1`: the reader goes away after one line
    const piped = follow([]);
    piped.child.stdout.once('data', () => piped.child.stdout.destroy());
    let pct = 2;
    // the children subscribe a moment after they start: keep changing the config until all have printed
    await waitFor(
      async () => {
        await api.call('PUT', '/bot/config', { take_profit_pct: (pct += 0.5) });
        return human.out.stdout.includes('\n') && json.out.stdout.includes('\n') && piped.done();
      },
      'an event line from every follower, and the piped one gone',
      20_000,
      400,
    );
    expect(await piped.exited).toBe(0);
    expect(piped.out.stderr).toBe('');
    human.child.kill('SIGINT');
    json.child.kill('SIGINT');
    expect(await human.exited).toBe(0);
    expect(await json.exited).toBe(0);
    printed.push(human.out.stdout, human.out.stderr, json.out.stdout, json.out.stderr);
    expect(human.out.stdout.split('\n')[0]).toMatch(/^\d\d:\d\d:\d\d \d+ config_changed version \d+ by api:control: take_profit_pct=\d/);
    for (const line of json.out.stdout.trim().split('\n'))
      expect(JSON.parse(line)).toMatchObject({ type: 'config_changed', seq: expect.any(Number) });
    expect(human.out.stderr + json.out.stderr).toBe('');
  });

  it('exits 2 with the usage on stderr for a bad command line', async () => {
    // three as child processes (the real exit code), the rest in-process (same code path, a second less each)
    const runs = [
      ...(await Promise.all([ctl(['bogus']), ctl(['trades', '--from']), ctl(['--token', 'abc', 'status'])])),
      ...(await Promise.all(
        [['status', '--limit', '3'], ['config', 'set'], [], ['events', '--types', 'trade,nonsense'], ['config', 'set', 'oops']].map((a) =>
          ctlInProcess(a),
        ),
      )),
    ];
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^botdesk: /);
    }
    expect(runs[0].stderr).toMatch(/unknown command "bogus"\nusage: botdesk /);
    expect(runs[1].stderr).toMatch(/--from.*\nusage: botdesk trades \[--from T\]/);
    expect(runs[2].stderr).toMatch(/never taken from the command line/);
    expect(runs[3].stderr).toMatch(/--limit/);
    expect(runs[6].stderr).toMatch(/--types takes a comma-separated list of status_change, trade/);
    expect(runs[7].stderr).toMatch(/"oops" is not KEY=VALUE/);
  });

  it('exits 1 with one plain sentence when the server is unreachable or refuses the token', async () => {
    const wrong = join(home, 'wrong-token');
    writeFileSync(wrong, `${'x'.repeat(43)}\n`, { mode: 0o600 });
    const [gone, refused] = await Promise.all([
      ctl(['status', '--url', 'http://127.0.0.1:1'], {}, 'bin'),
      ctl(['status'], { BOT_API_TOKEN_FILE: wrong }),
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      'botdesk: cannot reach the bot at http://127.0.0.1:1; is the server running (or is --url / BOT_API_URL wrong)?\n',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^botdesk: the token in ${wrong} was refused by ${api.url} \\(401`));
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('warns once about a token file others can read, and reads url and token from a named profile', async () => {
    const loose = join(home, 'loose-token');
    writeFileSync(loose, `${api.token}\n`);
    chmodSync(loose, 0o644);
    mkdirSync(join(home, '.config', 'botdesk'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'botdesk', 'cli-profiles.json'),
      JSON.stringify({ profiles: { lab: { url: `${api.url}/`, token_file: loose } } }),
    );
    const env = { BOT_API_URL: 'http://127.0.0.1:1', BOT_API_TOKEN_FILE: join(home, 'none') };
    const viaFlag = await ctlInProcess(['--profile', 'lab', 'status', '--json'], env);
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(JSON.parse(viaFlag.stdout).state).toBeTypeOf('string');
    expect(viaFlag.stderr.match(/warning: .*loose-token can be read by other users \(mode 644\)/g)).toHaveLength(1);
    const viaEnv = await ctlInProcess(['stats'], { ...env, BOT_PROFILE: 'lab' });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toMatch(/^trades +\d+ \(/m);
    const flagsFirst = await ctlInProcess(['--profile', 'lab', '--url', 'http://127.0.0.1:1', 'status'], env);
    expect(flagsFirst.code).toBe(1);
    // a `default` profile applies when neither a profile nor the environment says otherwise
    const profiles = join(home, '.config', 'botdesk', 'cli-profiles.json');
    writeFileSync(profiles, JSON.stringify({ default: 'lab', profiles: { lab: { url: api.url, token_file: loose } } }));
    expect(await ctlInProcess(['stats', '--json'], {})).toMatchObject({ code: 0 });
    expect(await ctlInProcess(['stats', '--json'], env)).toMatchObject({ code: 2 });
    const unknown = await ctlInProcess(['--profile', 'nope', 'status'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no profile "nope" in .*cli-profiles\.json \(it has lab\)/);
    const noTokenFile = await ctlInProcess(['status'], env);
    expect(noTokenFile.code).toBe(2);
    expect(noTokenFile.stderr).toMatch(/token file .*none does not exist/);
    rmSync(profiles);
  });

  it('finds the token where the server writes it when no file is named: BOT_DATA_DIR, else the user config dir', async () => {
    const viaDataDir = await ctlInProcess(['status', '--json'], { BOT_API_TOKEN_FILE: undefined, BOT_DATA_DIR: api.dataDir });
    expect(viaDataDir.code, viaDataDir.stderr).toBe(0);
    const xdg = join(home, 'xdg');
    mkdirSync(join(xdg, 'botdesk'), { recursive: true });
    writeFileSync(join(xdg, 'botdesk', 'api-token'), `${api.token}\n`, { mode: 0o600 });
    const viaXdg = await ctlInProcess(['status', '--json'], { BOT_API_TOKEN_FILE: undefined, XDG_CONFIG_HOME: xdg });
    expect(viaXdg.code, viaXdg.stderr).toBe(0);
    const missing = await ctlInProcess(['status'], { BOT_API_TOKEN_FILE: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(home, '.config', 'botdesk', 'api-token'));
  });

  it('reaches every operation of the table through the generic form', async () => {
    const help = await ctlInProcess(['help']);
    // every operation the API serves; the window's own (exchange keys, live limits: IPC only) are unknown here
    const names = (Object.keys(operations) as OperationName[]).filter(isHttpOperation);
    expect(names.length).toBe(Object.keys(operations).length - 4);
    for (const op of ['saveExchangeKeys', 'updateLiveLimits', 'updateNotifications'])
      expect((await ctlInProcess(['call', op])).code).toBe(2);
    // every input of every operation is an object whose keys KEY=VALUE can fill
    expect(names.filter((n) => opaqueInputs(n).length)).toEqual([]);
    for (const name of names)
      expect(help.stdout).toMatch(
        new RegExp(`^ {2}${name} +${operations[name].method} +${operations[name].path.replace(/[/:]/g, '\\$&')} `, 'm'),
      );
    for (const name of names) {
      const topic = await ctlInProcess(['help', name]);
      expect(topic.code, `${name}: ${topic.stderr}`).toBe(0);
    }
    // every read operation answers through `call NAME`, parsed as the API's JSON (one that reads a thing by id needs it)
    for (const name of names.filter((n) => operations[n].method === 'GET' && !('params' in operations[n]))) {
      const r = await ctlInProcess(['call', name, '--json']);
      if ((DESK_OPERATIONS as readonly string[]).includes(name)) {
        // this in-process server has no settings or keychain (startServices adds them): the API's 409 comes through
        expect([r.code, r.stderr], name).toEqual([1, expect.stringMatching(/does not manage tokens, settings or keys.*409/)]);
        continue;
      }
      // a read that needs a query of its own (GET /history/candles names its set) says so with the API's 400
      const query = (operations[name] as { query?: { safeParse(v: unknown): { success: boolean } } }).query;
      if (query && !query.safeParse({}).success) {
        expect([r.code, r.stderr], name).toEqual([1, expect.stringMatching(/Invalid query parameters.*HTTP 400/)]);
        continue;
      }
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
    const history = await ctlInProcess(['getConfigHistory', 'limit=1', '--json']);
    expect(JSON.parse(history.stdout).versions).toHaveLength(1);
    const unknownKey = await ctlInProcess(['call', 'getTrades', 'colour=blue']);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toMatch(/getTrades has no key "colour"; it takes from, to, limit, cursor/);
    const missingId = await ctlInProcess(['call', 'closePosition']);
    expect(missingId.code).toBe(2);
    expect(missingId.stderr).toMatch(/closePosition needs id=…/);
  });

  it('takes a secret only from a file or standard input, never typed on the command line', async () => {
    const typed = await ctlInProcess(['call', 'setReadToken', 'token=monitor-token-typed-out-123']);
    expect(typed.code).toBe(2);
    expect(typed.stderr).toMatch(
      /token is a secret: give it as token=@FILE or token=@- \(read from standard input\), never on the command line/,
    );
    const missing = await ctlInProcess(['call', 'setReadToken', `token=@${join(home, 'no-such-file')}`]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/token: cannot read .*no-such-file \(ENOENT\)/)]);
    const file = join(home, 'read-token');
    writeFileSync(file, 'monitor-token-from-a-file-123\n', { mode: 0o600 });
    // sent (this in-process server keeps no settings, so it answers 409), and not printed
    const fromFile = await ctlInProcess(['call', 'setReadToken', `token=@${file}`]);
    expect([fromFile.code, fromFile.stderr]).toEqual([1, expect.stringMatching(/409/)]);
    expect(fromFile.stdout + fromFile.stderr).not.toContain('monitor-token-from-a-file');
  });

  it('never prints the token', () => {
    expect(printed.length).toBeGreaterThan(20);
    for (const text of printed) expect(text).not.toContain(api.token);
  });
});
