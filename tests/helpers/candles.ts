import { fileURLToPath } from 'node:url';
import { loadCandleFile, type CandleSeries } from '../../src-main/engine/feeds/candle-file';

/** Real exchange candles kept in the repository (see tests/fixtures/candles/README.md for their provenance). */
export const CANDLE_DIR = fileURLToPath(new URL('../fixtures/candles/', import.meta.url));
export const XRP_5M = `${CANDLE_DIR}XRP_USDT-5m.json`;
export const XRP_1H = `${CANDLE_DIR}XRP_USDT-1h.json`;
export const ALT_1M = `${CANDLE_DIR}ALT_BTC-1m.json`;

export const loadXrp5m = (): CandleSeries => loadCandleFile(XRP_5M);
