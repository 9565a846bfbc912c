// Exchange keys, composed as the desktop app composes them (a real AES-GCM keychain stand-in for safeStorage): entered
// through the window (the real IPC router) only — the management API cannot set or delete them — stored encrypted,
// shown only as "stored" + last four, never in any answer, log line, event or file but the encrypted one. basic_text
// needs a confirmation; a refusing keychain saves nothing; headless says where keys go.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveCredentials } from '../../src-main/app/services';
import { readEnv } from '../../src-main/app/env';
import { FileSecretStore } from '../../src-main/desktop/secret-store';
import { connectEvents, type EventClient } from '../helpers/ws-client';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';
import { testKeychain } from '../helpers/test-keychain';
import type { BridgeResult, OperationName } from '../../src-shared/contract';

const API_KEY = 'SENTINEL-apikey-4f9d2c7be1a0Zq81';
const SECRET = 'SENTINEL-secret-77ab90cd13ef5566';

/** a window answer in the HTTP answer's shape the assertions read (status, body, text) */
function asHttp(r: BridgeResult<OperationName>): { status: number; body: any; text: string } {
  const body = r.ok ? r.data : r.body;
  return { status: r.ok ? 200 : r.status, body, text: JSON.stringify(body) };
}

/** every file under dir, recursively, except the one allowed to hold the (encrypted) keys */
function filesExcept(dir: string, allowed: string): string[] {
  return (
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      // not the lock file: opening it by hand in this process would drop the lock (POSIX), and it holds no secrets
      .filter((p) => p !== allowed && !p.endsWith('botdesk.lock.db'))
  );
}

describe('exchange keys in the desktop app', () => {
  let desk: DeskHarness;
  let events: EventClient;
  const keychain = testKeychain();

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-keys-'));
    desk = await startDesk({ dataDir, secrets: new FileSecretStore(dataDir, keychain) });
    events = await connectEvents(`${desk.url.replace('http', 'ws')}/ws/events`, { headers: { Authorization: `Bearer ${desk.token()}` } });
  });
  afterAll(async () => {
    events.ws.close();
    await desk.close();
    rmSync(desk.dataDir, { recursive: true, force: true });
  });

  it('the management API cannot set or delete them: 404 saying they are entered in the window, nothing stored', async () => {
    for (const [method, body] of [
      ['PUT', { apiKey: API_KEY, secret: SECRET }],
      ['DELETE', undefined],
    ] as const) {
      const res = await desk.call(method, '/exchange-keys', body);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatch(
        /not served over the management API: exchange keys and live limits are set in the desktop app's window only/,
      );
    }
    expect((await desk.call('GET', '/exchange-keys')).body.stored).toBe(false);
    const openapi = (await desk.call('GET', '/openapi.json')).body;
    expect(Object.keys(openapi.paths['/api/v1/exchange-keys'])).toEqual(['get']);
  });

  it('nothing stored at first; a short key is 400 naming apiKey without echoing it', async () => {
    const first = await desk.call('GET', '/exchange-keys');
    expect(first.body).toMatchObject({ stored: false, exchange: null, key_last4: null, protection: 'keychain', editable: true });
    const bad = asHttp(await desk.window('saveExchangeKeys', { body: { apiKey: 'abc', secret: SECRET } }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields)).toEqual(['apiKey']);
    expect(bad.text).not.toContain(SECRET);
    expect((await desk.call('GET', '/exchange-keys')).body.stored).toBe(false);
  });

  it('saves them encrypted (0600) and shows only stored + the last four; live mode can use them', async () => {
    const res = asHttp(await desk.window('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET } }));
    expect(res.status).toBe(200);
    expect(res.body.keys).toMatchObject({ stored: true, exchange: 'binance', key_last4: 'Zq81', protection: 'keychain' });
    const enc = join(desk.dataDir, 'exchange-keys.enc');
    expect(statSync(enc).mode & 0o777).toBe(0o600);
    const raw = readFileSync(enc, 'utf8');
    expect(raw).not.toContain(API_KEY);
    expect(raw).not.toContain(SECRET);
    // what live trading would be handed, decrypted in the main process only
    const env = readEnv({ BOT_DATA_DIR: desk.dataDir, BOT_MODE: 'live' });
    expect(liveCredentials(env, new FileSecretStore(desk.dataDir, keychain))).toEqual({ apiKey: API_KEY, secret: SECRET });
    expect(() => liveCredentials({ ...env, exchange: 'kraken' }, new FileSecretStore(desk.dataDir, keychain))).toThrow(
      /for binance.*kraken/,
    );
  });

  it('a keychain that refuses: 409 saying so, the keys stored before stay', async () => {
    keychain.refuse = 'The user name or passphrase you entered is not correct';
    try {
      const res = asHttp(
        await desk.window('saveExchangeKeys', {
          body: { apiKey: 'OTHER-apikey-000000000000WXYZ', secret: 'OTHER-secret-0000000000000000' },
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/keychain refused.*passphrase.*nothing was saved/);
    } finally {
      keychain.refuse = null;
    }
    expect((await desk.call('GET', '/exchange-keys')).body.key_last4).toBe('Zq81');
  });

  it('the keys appear in no answer, log line (GET /bot/logs and stderr), event or data-dir file but the encrypted one', async () => {
    await desk.call('POST', '/bot/start', {});
    await desk.call('GET', '/bot/status');
    await desk.call('GET', '/bot/config');
    await desk.call('GET', '/settings');
    await desk.call('GET', '/bot/audit');
    await desk.call('GET', '/bot/logs?level=debug&limit=1000');
    desk.services.runtime.flushLogs(); // the log records still pending, into SQLite, before the files are read
    const everything = [
      ...desk.answers,
      ...desk.stderr,
      ...events.events.map((e) => JSON.stringify(e)),
      ...filesExcept(desk.dataDir, join(desk.dataDir, 'exchange-keys.enc')).map((f) => readFileSync(f).toString('latin1')),
    ].join('\n');
    expect(events.events.length).toBeGreaterThan(0);
    for (const s of [API_KEY, SECRET, API_KEY.slice(0, 12), SECRET.slice(-12)]) expect(everything).not.toContain(s);
    expect(everything).toContain('save_exchange_keys');
  });

  it('deleting forgets them', async () => {
    const res = asHttp(await desk.window('deleteExchangeKeys'));
    expect(res.body.keys).toMatchObject({ stored: false, key_last4: null });
    expect(readdirSync(desk.dataDir)).not.toContain('exchange-keys.enc');
  });
});

describe('exchange keys where the keychain is weak or absent', () => {
  it('basic_text (Linux without a keyring): 409 asking for confirm_plaintext, nothing saved; saved once confirmed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-keys-'));
    const desk = await startDesk({ dataDir, secrets: new FileSecretStore(dataDir, testKeychain({ protection: 'basic_text' })) });
    try {
      expect((await desk.call('GET', '/exchange-keys')).body).toMatchObject({
        protection: 'basic_text',
        note: expect.stringMatching(/No system keyring/),
      });
      const refused = asHttp(await desk.window('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET } }));
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatch(/No system keyring.*confirm_plaintext/);
      expect(readdirSync(dataDir)).not.toContain('exchange-keys.enc');
      const ok = asHttp(await desk.window('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET, confirm_plaintext: true } }));
      expect(ok.body.keys).toMatchObject({ stored: true, protection: 'basic_text' });
    } finally {
      await desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a keychain that is not available at all: 409, nothing saved', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'botdesk-keys-'));
    const unavailable = await startDesk({
      dataDir,
      secrets: new FileSecretStore(dataDir, testKeychain({ unavailable: 'encryption is not available before the app is ready' })),
    });
    try {
      const res = asHttp(await unavailable.window('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET } }));
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/not available.*nothing was saved/);
      expect(readdirSync(dataDir)).not.toContain('exchange-keys.enc');
    } finally {
      await unavailable.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('headless: 409 saying keys come from BOT_EXCHANGE_KEY_FILE; GET reports that file', async () => {
    const desk = await startDesk();
    try {
      const res = asHttp(await desk.window('saveExchangeKeys', { body: { apiKey: API_KEY, secret: SECRET } }));
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/BOT_EXCHANGE_KEY_FILE/);
      expect(asHttp(await desk.window('deleteExchangeKeys')).status).toBe(409);
      expect((await desk.call('GET', '/exchange-keys')).body).toMatchObject({ stored: false, protection: 'file', editable: false });
      expect(desk.stderr.join('\n')).not.toContain(SECRET);
    } finally {
      await desk.close();
    }
  });
});
