// docs/security.md, route by route from the operation table: no token → 401 on every route behind a token, the read
// token → 403 on every control route, a foreign Host → 403 on every route, a foreign Origin refused on both streams,
// and every file holding a token or key private to its owner (0600, in a 0700 folder).
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpOperation, operations, type OperationName } from '../../src-shared/contract';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { retireForScan } from '../helpers/secret-registry';
import { testKeychain } from '../helpers/test-keychain';
import { upgradeRefusal } from '../helpers/ws-client';
import { rawCall } from './raw-http';

const READ_TOKEN = 'sweep-read-token-0123456789abcdef';
const KEYS = { apiKey: 'sweep-api-key-0123456789abcdef', secret: 'sweep-secret-0123456789abcdef0123' };
const routes = (Object.keys(operations) as OperationName[]).filter(isHttpOperation).map((name) => {
  const op = operations[name];
  // a path id that names nothing: the guards answer before the route would look it up
  return { name, method: op.method, path: `/api/v1${op.path.replace(/:id/g, '1')}`, scope: op.scope };
});

describe('security, route by route', () => {
  let desk: DeskHarness;
  let port: number;
  // each request from its own loopback address (127.0.0.2…): a failed token counts toward the lockout of its client
  // (429 after ten), and this sweep wants each route's own answer, not the lockout's
  let client = 0;
  const send = (method: string, path: string, headers: Record<string, string>) =>
    rawCall(
      { host: '127.0.0.1', port, localAddress: `127.0.0.${2 + (client++ % 250)}` },
      { method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
    );

  beforeAll(async () => {
    // a folder the app makes itself, so its mode is the app's choice
    const dataDir = join(mkdtempSync(join(tmpdir(), 'botdesk-sweep-')), 'data');
    desk = await startDesk({ dataDir, secrets: new FileSecretStore(dataDir, testKeychain()) });
    port = desk.services.api.port;
    // a read token made the way a user makes one, and exchange keys saved through the window, so their files exist
    expect((await desk.call('POST', '/auth/read-token', { token: READ_TOKEN })).status).toBe(200);
    expect((await desk.window('saveExchangeKeys', { body: { exchange: 'binance', ...KEYS } })).ok).toBe(true);
  });
  afterAll(async () => {
    await desk.close();
    // the keys are searched for too, in everything the suite leaves (tests/proof/secret-scan.final.test.ts)
    retireForScan({
      source: 'security-sweep',
      dataDirs: [desk.dataDir],
      secrets: [KEYS.apiKey, KEYS.secret, READ_TOKEN],
      texts: [],
      removeAfterScan: true,
    });
  });

  it(`no token → 401 on every route behind one (${routes.filter((r) => r.scope !== 'public').length} routes)`, async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.scope !== 'public')) {
      const a = await send(r.method, r.path, { 'Content-Type': 'application/json' });
      if (!a.ok || a.status !== 401 || JSON.parse(a.text).success !== false)
        wrong.push(`${r.method} ${r.path}: ${a.ok ? a.status : a.error}`);
    }
    expect(wrong).toEqual([]);
  });

  it(`read token → 403 on every control route (${routes.filter((r) => r.scope === 'control').length} routes), and nothing changes`, async () => {
    const before = (await desk.call('GET', '/bot/config')).text;
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.scope === 'control')) {
      const a = await send(r.method, r.path, { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' });
      if (!a.ok || a.status !== 403) wrong.push(`${r.method} ${r.path}: ${a.ok ? a.status : a.error}`);
    }
    expect(wrong).toEqual([]);
    expect((await desk.call('GET', '/bot/config')).text).toBe(before);
  });

  it(`a foreign Host → 403 on every route (${routes.length}), even with the control token`, async () => {
    const wrong: string[] = [];
    for (const r of routes)
      for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`, '']) {
        const a = await send(r.method, r.path, { Host: host, Authorization: `Bearer ${desk.token()}` });
        if (!a.ok || a.status !== 403) wrong.push(`${r.method} ${r.path} Host ${host}: ${a.ok ? a.status : a.error}`);
      }
    expect(wrong).toEqual([]);
  });

  it('a foreign Origin on either stream is refused, even with the control token; no Origin with the token is accepted', async () => {
    for (const path of ['/ws/events', '/ws/fleet']) {
      const url = `ws://127.0.0.1:${port}${path}`;
      for (const origin of ['http://evil.example', 'null', `http://localhost.evil.example:${port}`])
        expect(
          (await upgradeRefusal(url, { headers: { Authorization: `Bearer ${desk.token()}` }, origin })).status,
          `${path} ${origin}`,
        ).toBe(403);
      expect((await upgradeRefusal(url, { headers: { Authorization: `Bearer ${desk.token()}` } })).status, path).toBe(101);
      expect((await upgradeRefusal(url)).status, path).toBe(401);
    }
  });

  it('every file holding a token or a key is 0600, in a 0700 data directory', () => {
    expect(statSync(desk.dataDir).mode & 0o777).toBe(0o700);
    const private_ = ['api-token', 'api-read-token', 'exchange-keys.enc'];
    for (const name of private_) expect(statSync(join(desk.dataDir, name)).mode & 0o777, name).toBe(0o600);
  });
});
