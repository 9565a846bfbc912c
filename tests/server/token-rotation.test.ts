// POST /auth/rotate and the read-only token over real sockets (docs/contract.md §7): the old token fails at once, the new one
// works, stream connections opened with the old token are closed, the token file holds the new token (0600).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEvents, upgradeRefusal } from '../helpers/ws-client';
import { startDesk, type DeskHarness } from '../helpers/desk-harness';

const wsUrl = (d: DeskHarness) => `${d.url.replace('http', 'ws')}/ws/events`;
/** a stream's close, or a clear failure when the server never closes it */
const closeOf = (c: { closed: Promise<{ code: number; reason: string }> }) =>
  Promise.race([
    c.closed,
    new Promise<never>((_, fail) => setTimeout(() => fail(new Error('the stream was not closed within 3 s')), 3000)),
  ]);

describe('control token rotation', () => {
  let desk: DeskHarness;
  beforeAll(async () => {
    desk = await startDesk();
  });
  afterAll(() => desk.close());

  it('answers the new token once; the old one is 401 at once, even on the same keep-alive connection; its streams close', async () => {
    const old = desk.token();
    const create = await desk.call('POST', '/auth/read-token', {});
    expect(create.status).toBe(200);
    const readToken = create.body.token as string;
    expect(readToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const oldStream = await connectEvents(wsUrl(desk), { headers: { Authorization: `Bearer ${old}` } });
    const oldBrowserStream = await connectEvents(wsUrl(desk), { protocols: ['bearer', old] });
    const readStream = await connectEvents(wsUrl(desk), { headers: { Authorization: `Bearer ${readToken}` } });
    // warm the keep-alive connection's cached verdict for the old token
    expect((await desk.call('GET', '/bot/status', undefined, old)).status).toBe(200);

    const rotated = await desk.call('POST', '/auth/rotate', {}, old);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ success: true, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const fresh = rotated.body.token as string;
    expect(fresh).not.toBe(old);

    expect((await desk.call('GET', '/bot/status', undefined, old)).status).toBe(401);
    expect((await desk.call('GET', '/bot/status', undefined, fresh)).status).toBe(200);
    expect((await desk.call('POST', '/bot/pause', {}, fresh)).status).toBe(200);

    const closed = await closeOf(oldStream);
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/replaced/);
    expect((await closeOf(oldBrowserStream)).code).toBe(4401);
    // the read token's stream is untouched
    expect(readStream.ws.readyState).toBe(readStream.ws.OPEN);
    expect((await upgradeRefusal(wsUrl(desk), { headers: { Authorization: `Bearer ${old}` } })).status).toBe(401);
    const freshStream = await connectEvents(wsUrl(desk), { protocols: ['bearer', fresh] });
    freshStream.ws.close();
    readStream.ws.close();

    const file = join(desk.dataDir, 'api-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(fresh);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // the token never reaches the log, and the audit log says who rotated it
    const logs = await desk.call('GET', '/bot/logs?level=debug&limit=1000', undefined, fresh);
    expect(logs.text).not.toContain(fresh);
    expect(desk.stderr.join('\n')).not.toContain(fresh);
    expect(desk.stderr.join('\n')).not.toContain(old);
    const audit = await desk.call('GET', '/bot/audit', undefined, fresh);
    expect(audit.body.records.map((r: { action: string }) => r.action)).toContain('rotate_token');
  });

  it('a one-time dashboard link after rotation hands out the new token', async () => {
    const code = new URL(desk.services.api.issueLoginUrl()).hash.slice('#login='.length);
    const res = await fetch(`${desk.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(((await res.json()) as { token: string }).token).toBe(desk.token());
  });

  it('a chosen token under 16 characters is 400 naming token, nothing changed', async () => {
    const before = desk.token();
    const res = await desk.call('POST', '/auth/rotate', { token: 'short-token' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ token: expect.stringMatching(/16 characters/) });
    expect(desk.token()).toBe(before);
    expect((await desk.call('GET', '/bot/status', undefined, before)).status).toBe(200);
    const chosen = 'my-own-control-token-1234567890';
    expect((await desk.call('POST', '/auth/rotate', { token: chosen })).body.token).toBe(chosen);
    expect(desk.token()).toBe(chosen);
  });

  it('the read token cannot rotate (403) and the read-only token can be replaced and removed, taking effect at once', async () => {
    const first = (await desk.call('POST', '/auth/read-token', {})).body.token as string;
    expect((await desk.call('POST', '/auth/rotate', {}, first)).status).toBe(403);
    expect((await desk.call('GET', '/bot/status', undefined, first)).status).toBe(200);
    const stream = await connectEvents(wsUrl(desk), { headers: { Authorization: `Bearer ${first}` } });
    const second = (await desk.call('POST', '/auth/read-token', {})).body.token as string;
    expect((await desk.call('GET', '/bot/status', undefined, first)).status).toBe(401);
    expect((await closeOf(stream)).code).toBe(4401);
    expect((await desk.call('GET', '/bot/status', undefined, second)).status).toBe(200);
    const file = join(desk.dataDir, 'api-read-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(second);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const settings = await desk.call('GET', '/settings');
    expect(settings.body.tokens.read).toEqual({ configured: true, source: 'file', editable: true });

    expect((await desk.call('DELETE', '/auth/read-token')).body).toEqual({ success: true, removed: true });
    expect((await desk.call('GET', '/bot/status', undefined, second)).status).toBe(401);
    expect((await desk.call('GET', '/settings')).body.tokens.read.configured).toBe(false);
  });
});

describe('a token file that cannot be written', () => {
  it('409 naming the file; the old token stays in force and no temporary file is left', async () => {
    const desk = await startDesk();
    try {
      const old = desk.token();
      const file = join(desk.dataDir, 'api-token');
      // a folder where the file should be: the rename fails for root too
      rmSync(file);
      mkdirSync(join(file, 'blocker'), { recursive: true });
      const res = await desk.call('POST', '/auth/rotate', {}, old);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/control token file .* could not be written.*stays in force/);
      expect((await desk.call('GET', '/bot/status', undefined, old)).status).toBe(200);
      expect(readdirSync(desk.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      rmSync(file, { recursive: true });
      writeFileSync(file, old + '\n', { mode: 0o600 });
    } finally {
      await desk.close();
    }
  });
});

describe('tokens from the environment', () => {
  it('BOT_API_TOKEN: rotation is 409 saying why; BOT_API_READ_TOKEN: the read token is not editable', async () => {
    const desk = await startDesk({
      env: { BOT_API_TOKEN: 'env-control-token-0123456789', BOT_API_READ_TOKEN: 'env-read-token-0123456789' },
    });
    try {
      const res = await desk.call('POST', '/auth/rotate', {});
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/BOT_API_TOKEN/);
      expect((await desk.call('GET', '/bot/status')).status).toBe(200);
      expect((await desk.call('POST', '/auth/read-token', {})).status).toBe(409);
      expect((await desk.call('DELETE', '/auth/read-token')).status).toBe(409);
      const view = (await desk.call('GET', '/settings')).body;
      expect(view.tokens).toEqual({
        control: { source: 'env', rotatable: false },
        read: { configured: true, source: 'env', editable: false },
      });
    } finally {
      await desk.close();
    }
  });
});
