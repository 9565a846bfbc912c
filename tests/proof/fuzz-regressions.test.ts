// What the route fuzz (route-fuzz.test.ts) found, each pinned by the request that showed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src-main/server/openapi';
import { startApi, type ApiHarness } from '../helpers/api-harness';
import { rawCall } from './raw-http';

describe('route fuzz regressions', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('a request with no Host header gets the guard’s JSON 403, not Node’s bare 400', async () => {
    const r = await rawCall(
      { host: '127.0.0.1', port: api.port },
      { method: 'GET', path: '/api/v1/bot/status', headers: { Authorization: `Bearer ${api.token}` } },
    );
    expect(r.ok && r.status).toBe(403);
    expect(r.ok && JSON.parse(r.text)).toMatchObject({ success: false, error: expect.stringMatching(/Host/) });
  });

  it('a body without a JSON Content-Type (415) and one over 1 MiB (413) are answers the document lists for every route that reads a body', async () => {
    const r = await api.raw({
      method: 'POST',
      path: '/api/v1/bot/resume',
      headers: { Authorization: `Bearer ${api.token}` },
      payload: '{}',
    });
    expect(r.status).toBe(415);
    const doc = buildOpenApiDocument('test') as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods)) {
        const listed = ['413', '415'].filter((s) => s in op.responses);
        expect(listed, `${method} ${path}`).toEqual(method === 'get' ? [] : ['413', '415']);
      }
  });

  it('a wrong method on /session or /openapi.json is a 405 naming the right one, as on every other route', async () => {
    const session = await api.raw({ method: 'GET', path: '/api/v1/session' });
    expect(session.status).toBe(405);
    expect(session.headers.allow).toBe('POST');
    const doc = await api.raw({ method: 'POST', path: '/api/v1/openapi.json', headers: { Authorization: `Bearer ${api.token}` } });
    expect(doc.status).toBe(405);
    expect(doc.headers.allow).toBe('GET');
  });
});
