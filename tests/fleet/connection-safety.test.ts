// How remote bots may be reached (URL classification, the SSH recipe) and the server side of a tunnel: a loopback
// Host on another port is accepted from a loopback peer, without reopening DNS rebinding or cross-site requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyBotUrl, sshTunnelCommand } from '../../src-shared/connection-safety';
import { startApi, type ApiHarness } from '../helpers/api-harness';

describe('classifyBotUrl', () => {
  it('takes loopback (a tunnel) and https at once, plain http elsewhere only with the VPN confirmation', () => {
    expect(classifyBotUrl('http://127.0.0.1:18080', false)).toEqual({ ok: true, origin: 'http://127.0.0.1:18080', link: 'loopback' });
    expect(classifyBotUrl('http://localhost:18080/', false)).toMatchObject({ ok: true, link: 'loopback' });
    expect(classifyBotUrl('https://bot.example.com', false)).toEqual({ ok: true, origin: 'https://bot.example.com', link: 'https' });
    const plain = classifyBotUrl('http://10.8.0.5:8080', false);
    expect(plain.ok).toBe(false);
    expect(!plain.ok && plain.message).toMatch(/unencrypted.*VPN/);
    expect(classifyBotUrl('http://10.8.0.5:8080', true)).toEqual({ ok: true, origin: 'http://10.8.0.5:8080', link: 'vpn' });
  });

  it('refuses what is not a server address, in one sentence each', () => {
    for (const [url, why] of [
      ['bot.example.com', /not a URL/],
      ['ftp://127.0.0.1', /Only http/],
      ['http://me:pw@127.0.0.1:8080', /token field/],
      ['http://127.0.0.1:8080/api/v1', /without a path/],
    ] as const) {
      const v = classifyBotUrl(url, true);
      expect(v.ok).toBe(false);
      expect(!v.ok && v.message).toMatch(why);
    }
  });

  it('writes the exact ssh command', () => {
    expect(sshTunnelCommand({ user: 'ana', host: 'vps.example.com', localPort: 18080, remotePort: 8080 })).toBe(
      'ssh -N -L 18080:127.0.0.1:8080 ana@vps.example.com',
    );
  });
});

describe('Host check through a tunnel on another local port', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());
  const status = (headers: Record<string, string>) =>
    api.raw({ path: '/api/v1/bot/status', headers: { Authorization: `Bearer ${api.token}`, ...headers } });

  it('accepts a loopback name with any port from a loopback peer (what ssh -L delivers)', async () => {
    expect((await status({ Host: '127.0.0.1:18080' })).status).toBe(200);
    expect((await status({ Host: 'localhost:18080' })).status).toBe(200);
    // the dashboard served through the tunnel is same-origin with the Host it sends
    expect((await status({ Host: '127.0.0.1:18080', Origin: 'http://127.0.0.1:18080' })).status).toBe(200);
  });

  it('still refuses rebinding names and other sites', async () => {
    expect((await status({ Host: `evil.example:${api.port}` })).status).toBe(403);
    expect((await status({ Host: 'evil.example:18080' })).status).toBe(403);
    expect((await status({ Host: '127.0.0.1' })).status).toBe(403);
    // a page on another local port calling us: its Origin is not ours, nor the Host it reached
    expect((await status({ Host: `127.0.0.1:${api.port}`, Origin: 'http://localhost:3000' })).status).toBe(403);
    expect((await status({ Host: '127.0.0.1:18080', Origin: 'http://localhost:3000' })).status).toBe(403);
  });
});
