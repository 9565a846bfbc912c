// Contract §2/§6 security rules, each proven over a real socket with raw requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '../../src-main/server/api-server';
import { loadOrCreateControlToken } from '../../src-main/server/token-store';
import { startApi, type ApiHarness } from '../helpers/api-harness';

describe('API security defaults', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ authFailures: { max: 12, windowMs: 60_000 } });
  });
  afterAll(() => api.close());

  it('401 without a token or with a wrong one, in the JSON error shape', async () => {
    const none = await api.call('GET', '/bot/status', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ success: false, error: expect.stringMatching(/token|Authorization/i) });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await api.call('GET', '/bot/status', undefined, { token: `${api.token}x` });
    expect(wrong.status).toBe(401);
    const ws = await api.raw({
      path: '/api/v1/bot/status',
      headers: { Authorization: `Basic ${Buffer.from(`a:${api.token}`).toString('base64')}` },
    });
    expect(ws.status).toBe(401);
  });

  it('401 for a token that is lower-cased, padded inside, or truncated; an OPTIONS preflight gets no CORS grant', async () => {
    for (const t of [api.token.toLowerCase(), api.token.slice(0, -1), `${api.token}${api.token}`]) {
      if (t === api.token) continue;
      expect((await api.call('GET', '/bot/status', undefined, { token: t })).status).toBe(401);
    }
    expect((await api.raw({ path: '/api/v1/bot/status', headers: { Authorization: `Bearer  x ${api.token}` } })).status).toBe(401);
    const pre = await api.raw({
      method: 'OPTIONS',
      path: '/api/v1/bot/stop',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBeGreaterThanOrEqual(400);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('never takes a token from the URL', async () => {
    const r = await api.raw({ path: `/api/v1/bot/status?token=${api.token}` });
    expect(r.status).toBe(401);
  });

  it('read-only token: every GET works, control routes are 403 and change nothing', async () => {
    const status = await api.call('GET', '/bot/status', undefined, { token: api.readToken });
    expect(status.status).toBe(200);
    for (const path of ['/bot/config', '/bot/stats', '/bot/positions', '/bot/trades', '/bot/logs', '/bot/config/history']) {
      expect((await api.call('GET', path, undefined, { token: api.readToken })).status, path).toBe(200);
    }
    const before = (await api.call('GET', '/bot/config')).body;
    const put = await api.call('PUT', '/bot/config', { take_profit_pct: 9 }, { token: api.readToken });
    expect(put.status).toBe(403);
    expect(put.body.error).toMatch(/read-only/);
    for (const path of ['/bot/stop', '/bot/pause', '/bot/close-all', '/bot/cancel-pending']) {
      expect((await api.call('POST', path, undefined, { token: api.readToken })).status, path).toBe(403);
    }
    expect((await api.call('GET', '/bot/config')).body).toEqual(before);
    expect((await api.call('GET', '/bot/status')).body.state).toBe(status.body.state);
  });

  it('Host header must name the server (DNS rebinding)', async () => {
    const evil = await api.raw({
      path: '/api/v1/bot/status',
      headers: { Host: `evil.example:${api.port}`, Authorization: `Bearer ${api.token}` },
    });
    expect(evil.status).toBe(403);
    expect(evil.body.error).toMatch(/Host/);
    const evilHealth = await api.raw({ path: '/api/v1/health', headers: { Host: 'evil.example' } });
    expect(evilHealth.status).toBe(403);
    for (const host of [`127.0.0.1:${api.port}`, `localhost:${api.port}`]) {
      expect((await api.raw({ path: '/api/v1/bot/status', headers: { Host: host, Authorization: `Bearer ${api.token}` } })).status).toBe(
        200,
      );
    }
  });

  it('a foreign Origin cannot act, even with the token; the own origin can', async () => {
    const foreign = await api.call('POST', '/bot/pause', {}, { headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((await api.call('POST', '/bot/pause', {}, { headers: { Origin: 'null' } })).status).toBe(403);
    const own = await api.call('GET', '/bot/status', undefined, { headers: { Origin: `http://127.0.0.1:${api.port}` } });
    expect(own.status).toBe(200);
    // no CORS: nothing invites a browser to share answers with other sites
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('415 for a body that is not JSON (cross-site form or text/plain), and nothing happens', async () => {
    const before = (await api.call('GET', '/bot/config')).body;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await api.call('PUT', '/bot/config', '{"take_profit_pct": 7}', { headers: { 'Content-Type': type } });
      expect(r.status, type).toBe(415);
    }
    expect((await api.call('GET', '/bot/config')).body).toEqual(before);
  });

  it('413 for a body over 1 MiB', async () => {
    const big = JSON.stringify({ symbol: 'x'.repeat(1024 * 1024 + 10) });
    const r = await api.call('PUT', '/bot/config', big);
    expect(r.status).toBe(413);
    expect(r.body.success).toBe(false);
  });

  it('400 for malformed JSON and for __proto__ / constructor keys, config untouched', async () => {
    const before = (await api.call('GET', '/bot/config')).body;
    expect((await api.call('PUT', '/bot/config', '{"take_profit_pct": ')).status).toBe(400);
    const proto = await api.call('PUT', '/bot/config', '{"__proto__": {"take_profit_pct": 8}}');
    expect(proto.status).toBe(400);
    expect(proto.body.error).toMatch(/__proto__/);
    const ctor = await api.call('PUT', '/bot/config', '{"strategy": {"name": "ema_cross", "params": {"constructor": {"prototype": {}}}}}');
    expect(ctor.status).toBe(400);
    expect((await api.call('GET', '/bot/config')).body).toEqual(before);
    expect(({} as Record<string, unknown>).take_profit_pct).toBeUndefined();
  });

  it('a 500 never carries a stack trace', async () => {
    // a request whose path cannot be decoded reaches the route matcher's error path, not a crash
    const r = await api.raw({
      path: '/api/v1/bot/positions/%E0%A4%A/close',
      method: 'POST',
      headers: { Authorization: `Bearer ${api.token}` },
    });
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });

  it('slow headers are cut off (no socket held open forever)', async () => {
    const s = connect(api.port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(api.server.server.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(api.server.server.requestTimeout).toBeLessThanOrEqual(30_000);
    s.destroy();
  });

  it('429 after repeated failed authentications from one client; the lockout also covers the stream upgrade', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await api.call('GET', '/bot/status', undefined, { token: `wrong-${i}` })).status;
    expect(last).toBe(429);
    const r = await api.call('GET', '/bot/status', undefined, { token: 'wrong-again' });
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // the real token still works: it cannot be guessed, and the owner must not be locked out by a noisy script
    expect((await api.call('GET', '/bot/status')).status).toBe(200);
  });

  it('tokens never appear in logs, nor anywhere on disk but the token file', async () => {
    const logs = await api.call('GET', '/bot/logs?level=debug&limit=1000');
    expect(logs.text).not.toContain(api.token);
    expect(logs.text).not.toContain(api.readToken);
    // the database, its WAL and anything else the bot wrote (the log records still pending written first)
    api.runtime.flushLogs();
    for (const name of readdirSync(api.dataDir).filter((n) => n !== 'api-token')) {
      const bytes = readFileSync(join(api.dataDir, name));
      expect(bytes.includes(api.token), name).toBe(false);
      expect(bytes.includes(api.readToken), name).toBe(false);
    }
  });
});

describe('exposure', () => {
  it('refuses a non-loopback bind unless remote access is allowed explicitly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-bind-'));
    const deps = {
      handlers: {} as never,
      events: { lastSeq: 0, since: () => [], subscribe: () => () => {} },
      logger: { info() {}, warn() {}, error() {}, debug() {}, tail: () => [], addSecret() {} },
      controlToken: loadOrCreateControlToken({ dataDir }),
      port: 0,
    };
    await expect(createApiServer({ ...deps, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('creates the token file 0600 and tightens a readable one', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-token-'));
    const token = loadOrCreateControlToken({ dataDir });
    const file = join(dataDir, 'api-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateControlToken({ dataDir })).toBe(token);
    chmodSync(file, 0o644);
    loadOrCreateControlToken({ dataDir });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'short\n');
    expect(() => loadOrCreateControlToken({ dataDir })).toThrow(/at least/);
    expect(readFileSync(file, 'utf8')).toBe('short\n');
  });
});
