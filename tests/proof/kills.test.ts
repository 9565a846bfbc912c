// Real server processes killed with SIGKILL at random moments and at named kill points (short form: a few kills per
// setting, four live; `npm run bench -- proof` runs 20 each). A kill counts as survived only when every check after the
// restart holds: database whole, nothing acknowledged lost, no order placed twice, the exchange and the bot agreeing,
// the event stream going on from the last seq a client saw.
import { describe, expect, it } from 'vitest';
import { fleetKills, liveKills, paperKills, seededRandom, type KillReport } from './kills';

const SEED = Number(process.env.BOTDESK_KILL_SEED ?? Date.now() % 100_000);
const report = (r: KillReport) =>
  console.log(
    `kills, ${r.setting} (seed ${SEED}): ${r.survived}/${r.run} survived\n  ${r.moments.join('\n  ')}${r.failures.length ? `\n${r.failures.join('\n')}` : ''}`,
  );

describe('kill -9 at random moments and at named points', () => {
  it('paper on a fast replay', async () => {
    const r = await paperKills(2, seededRandom(SEED));
    report(r);
    expect(r.failures).toEqual([]);
    expect(r.survived).toBe(r.run);
  }, 180_000);

  it('live against the exchange emulator, prices moving while the bot is down', async () => {
    // four: the named rounds are the second and fourth, order-journaled then order-placed (an entry the exchange
    // filled that the journal never heard of: the case issue 20's full run found)
    const r = await liveKills(4, seededRandom(SEED + 1));
    report(r);
    expect(r.failures).toEqual([]);
    expect(r.survived).toBe(r.run);
  }, 180_000);

  it('a fleet hub with two remote bots', async () => {
    const r = await fleetKills(1, seededRandom(SEED + 2));
    report(r);
    expect(r.failures).toEqual([]);
    expect(r.survived).toBe(r.run);
  }, 180_000);
});
