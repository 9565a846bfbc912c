// The Telegram commands' words and the /closeall confirmation window, over a recording operation caller.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src-shared/contract';
import { createCommandHandler, HELP_TEXT, type OperationCall } from '../../src-main/notify/telegram-commands';

const status = { state: 'running', stake_currency: 'USDT', open_positions: 2, status: {} };

function recorder(fail?: Error) {
  const calls: string[] = [];
  const call = (async (name: string) => {
    calls.push(name);
    if (fail) throw fail;
    if (name === 'getStatus') return status;
    if (name === 'closeAll') return { success: true, closed: [{ pnl: 1.5 }, { pnl: -0.5 }], status: { ...status, open_positions: 0 } };
    if (name === 'pauseBot') return { success: true, changed: false, status: { state: 'paused' } };
    return {};
  }) as unknown as OperationCall;
  return { calls, call };
}

describe('Telegram commands', () => {
  it('/closeall closes only on its button, once, within the window', async () => {
    let now = 1_000_000;
    const r = recorder();
    const h = createCommandHandler({ call: r.call, now: () => now });
    const ask = await h.command('/closeall@BotDeskBot');
    expect(ask.text).toMatch(/^Close 2 positions at market and pause entries\?/);
    expect(r.calls).toEqual(['getStatus']);
    const data = ask.buttons![0].data;
    expect(await h.button('closeall:forged')).toEqual({ answer: expect.stringMatching(/expired or was used/) });
    now += 59_000;
    const done = await h.button(data);
    expect(done.reply?.text).toBe('Closed 2 positions (+1.00 USDT); entries are paused. 0 still open.');
    expect((await h.button(data)).reply).toBeUndefined(); // used
    expect(r.calls).toEqual(['getStatus', 'closeAll']);

    const late = (await h.command('/closeall')).buttons![0].data;
    now += 60_001;
    expect(await h.button(late)).toEqual({ answer: expect.stringMatching(/expired/) });
    expect(r.calls.filter((c) => c === 'closeAll')).toHaveLength(1);
  });

  it('answers a refusal in its own sentence, an unknown command with a short help', async () => {
    const refused = createCommandHandler({ call: recorder(new ServiceError(409, 'The bot is stopped; start it before pausing.')).call });
    expect((await refused.command('/pause')).text).toBe('Refused: The bot is stopped; start it before pausing.');
    const h = createCommandHandler({ call: recorder().call });
    expect((await h.command('/pause')).text).toBe('Already paused.');
    expect((await h.command('hello')).text).toMatch(/^Unknown command\. Try \/status \/profit/);
    expect((await h.command('/help')).text).toBe(HELP_TEXT);
    expect(HELP_TEXT.split('\n')).toHaveLength(11);
  });
});
