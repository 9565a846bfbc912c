// Every route of the served OpenAPI document fuzzed (short form; `npm run bench -- proof` runs the long one): each answer
// a documented status in the documented shape, the process alive, no 4xx changing any state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { deskFuzzTarget } from './fuzz-target';
import { fillPath, formatTally, fuzzEveryRoute, type FuzzTarget, type OpenApiDocument } from './route-fuzz';

const RUNS_PER_ROUTE = Number(process.env.BOTDESK_FUZZ_RUNS ?? 25);

describe('every route fuzzed from the OpenAPI document', () => {
  let desk: DeskHarness;
  let target: FuzzTarget;
  beforeAll(async () => {
    desk = await startDesk();
    target = await deskFuzzTarget(desk);
  });
  afterAll(() => desk.close());

  it(`${RUNS_PER_ROUTE} requests a route: documented statuses and shapes only, no 4xx changes state`, async () => {
    const docAnswer = await fetch(`${desk.url}/api/v1/openapi.json`, { headers: { Authorization: `Bearer ${target.tokens().control}` } });
    const doc = (await docAnswer.json()) as OpenApiDocument;
    const { tally, failures } = await fuzzEveryRoute(target, doc, { runsPerRoute: RUNS_PER_ROUTE });
    console.log(`route fuzz: requests tried per route\n${formatTally(tally)}`);
    expect(failures.map((f) => `${f.route}: ${f.why}\n  ${JSON.stringify(f.request).slice(0, 400)}`)).toEqual([]);
    expect(tally.size).toBeGreaterThan(30);
    // the process is still whole: it answers with the token the fuzz leaves it with
    expect((await desk.call('GET', '/bot/status', undefined, target.tokens().control)).status).toBe(200);
  }, 170_000);

  it('sends only paths an HTTP client can write: a generated id is encoded even when it starts with %', () => {
    const filled = ['%x y', '%é', 'é', '%E0%A4%A', '..', '1'].map((id) => fillPath('/api/v1/jobs/{id}', ['id'], [id]));
    expect(filled).toEqual([
      '/api/v1/jobs/%25x%20y',
      '/api/v1/jobs/%25%C3%A9',
      '/api/v1/jobs/%C3%A9',
      '/api/v1/jobs/%E0%A4%A', // a listed malformed escape, sent as it is on purpose
      '/api/v1/jobs/..',
      '/api/v1/jobs/1',
    ]);
  });
});
