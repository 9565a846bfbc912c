// The origin rewrite lives with the live adapter (BOT_EXCHANGE_API_URL); the emulator's tests use the same one.
export { pointExchangeAt as pointCcxtAt, type HasUrls } from '../../src-main/engine/adapters/ccxt/exchange-origin';
