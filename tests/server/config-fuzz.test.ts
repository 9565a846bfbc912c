// Property-based fuzz of PUT /bot/config over a real socket: thousands of random bodies, every answer 200 or 4xx,
// the stored config always valid, an update applied whole or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BotConfigSchema, ConfigPatchSchema, crossFieldProblems, type VersionedConfig } from '../../src-shared/contract';
import { startApi, type ApiHarness } from '../helpers/api-harness';

const field = fc.constantFrom(
  'symbol',
  'timeframe',
  'position_size_pct',
  'stop_loss_pct',
  'take_profit_pct',
  'max_positions',
  'enabled',
  'strategy',
  'max_daily_loss_pct',
  'fee_pct',
  'slippage_pct',
  'trailing_stop_pct',
  'trailing_activation_pct',
  'bogus',
  '__proto__',
  'constructor',
);
const value = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer({ min: -10, max: 200 }),
  fc.double({ min: 0, max: 120, noNaN: true }),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('XRP/USDT', 'BTC/USDT', '5m', '1h', '7m', 'NaN', 'Infinity', null),
  fc.constant({ name: 'ema_cross', params: { fast: 5, slow: 30 } }),
  fc.constant({ name: 'rsi_reversion', params: { period: 1 } }),
  fc.constant({ name: 'bollinger_reversion' }),
  fc.constant({ name: 'moon', params: {} }),
  fc.array(fc.integer(), { maxLength: 2 }),
);
/** bodies as raw text, so NaN/Infinity/duplicate keys/garbage can be sent as a client would */
const body = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .dictionary(field, value, { maxKeys: 4 })
      .map((o) => JSON.stringify(o).replace(/null/g, () => (Math.random() < 0.3 ? 'NaN' : 'null'))),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('[]', 'null', '1', '"x"', '{"take_profit_pct": 1e999}', '{"position_size_pct": 50, "max_positions": 3}'),
  },
);

describe('PUT /bot/config fuzz', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    // the loop keeps running under the fuzz, as it would in use
    api = await startApi({ replaySpeed: 50 });
  });
  afterAll(() => api.close());

  it('answers 200 or 4xx to thousands of random bodies; never half-applies; stored config always valid', async () => {
    let current = (await api.call('GET', '/bot/config')).body as VersionedConfig;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const r = await api.call('PUT', '/bot/config', text);
        expect([200, 400, 409, 415]).toContain(r.status);
        const after = (await api.call('GET', '/bot/config')).body as VersionedConfig;
        const { version, ...config } = after;
        expect(BotConfigSchema.safeParse(config).success).toBe(true);
        expect(crossFieldProblems(config)).toEqual({});
        if (r.status === 200) {
          accepted++;
          const patch = ConfigPatchSchema.parse(JSON.parse(text));
          // every key sent is applied
          for (const [k, v] of Object.entries(patch))
            expect(after[k as keyof VersionedConfig], k).toEqual(
              k === 'strategy' ? expect.objectContaining({ name: (v as { name: string }).name }) : v,
            );
          expect(version).toBeGreaterThanOrEqual(current.version);
        } else {
          expect(r.body).toMatchObject({ success: false, error: expect.any(String) });
          // nothing changed at all
          expect(after).toEqual(current);
        }
        current = after;
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(10);
  }, 180_000);
});
