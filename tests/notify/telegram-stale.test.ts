// Telegram keeps a chat's messages while nobody polls: what was sent while BotDesk was down is answered, not acted
// on, over the real long-poll loop against the local Bot API stand-in.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/engine/log/logger';
import { TelegramApi } from '../../src-main/notify/telegram-api';
import { TelegramBot } from '../../src-main/notify/telegram-bot';
import type { Notice } from '../../src-main/notify/sink';
import { startTelegramStandIn, type TelegramStandIn } from '../helpers/telegram-stand-in';
import { waitFor } from '../helpers/wait';

const CHAT = 4242;
let tg: TelegramStandIn | null = null;
let bot: TelegramBot | null = null;
afterEach(async () => {
  await bot?.stop();
  await tg?.close();
});

describe('Telegram commands sent while BotDesk was not reading', () => {
  it('are answered with what to do and not acted on; a fresh one acts', async () => {
    tg = await startTelegramStandIn();
    const acted: string[] = [];
    const replies: Notice[] = [];
    let id = 0;
    tg.pushMessage(CHAT, '/stop', Date.now() - 3 * 3600_000); // sent three hours before the start
    bot = new TelegramBot({
      api: new TelegramApi(tg.token, tg.url),
      chatId: CHAT,
      commands: {
        command: async (text) => (acted.push(text), { text: `done ${text}` }),
        button: async () => ({ answer: 'ok' }),
      },
      reply: (n) => void replies.push(n),
      onRefused: () => undefined,
      logger: createLogger(),
      pollTimeoutS: 1,
      newId: () => `n${++id}`,
    });
    bot.start();
    await waitFor(() => replies.length >= 1, 'the answer to the old command');
    expect(replies[0].text).toMatch(/^Not done: \/stop was sent 180 min ago, while BotDesk was not reading\. Send it again/);
    tg.pushMessage(CHAT, '/pause');
    await waitFor(() => replies.length >= 2, 'the answer to the fresh command');
    expect(acted).toEqual(['/pause']);
    expect(replies[1].text).toBe('done /pause');
  });
});
