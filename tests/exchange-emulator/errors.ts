/**
 * Binance's error answers: `{code, msg}` with an HTTP status. ccxt 4.5.84 maps them by exact message first,
 * then by code (binance.js `exceptions.exact`), so the messages are binance's own, word for word.
 */
export interface Rejection {
  readonly rejected: true;
  status: number;
  code: number;
  msg: string;
  /** cancelReplace's failures carry what happened to each half */
  data?: Record<string, unknown>;
}

export const reject = (code: number, msg: string, status = 400): Rejection => ({ rejected: true, status, code, msg });

export const isRejection = (x: unknown): x is Rejection =>
  typeof x === 'object' && x !== null && (x as { rejected?: unknown }).rejected === true;

export const mandatory = (name: string): Rejection =>
  reject(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

export const illegal = (name: string): Rejection =>
  reject(-1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`);

export const notRequired = (name: string): Rejection => reject(-1106, `Parameter '${name}' sent when not required.`);

/** filter failures: ccxt's handleErrors turns a body naming LOT_SIZE or PRICE_FILTER into InvalidOrder */
export const filterFailure = (filter: string): Rejection => reject(-1013, `Filter failure: ${filter}`);

export const INSUFFICIENT = (): Rejection => reject(-2010, 'Account has insufficient balance for requested action.');
export const UNKNOWN_ORDER = (): Rejection => reject(-2011, 'Unknown order sent.');
export const NO_SUCH_ORDER = (): Rejection => reject(-2013, 'Order does not exist.');
export const INVALID_SYMBOL = (): Rejection => reject(-1121, 'Invalid symbol.');
export const MARKET_CLOSED = (): Rejection => reject(-1013, 'Market is closed.');
export const DUPLICATE_ORDER = (): Rejection => reject(-2010, 'Duplicate order sent.');
export const WOULD_TRIGGER = (): Rejection => reject(-2010, 'Stop price would trigger immediately.');
export const WOULD_TAKE = (): Rejection => reject(-2010, 'Order would immediately match and take.');
export const BAD_OCO_PRICES = (): Rejection => reject(-2010, 'The relationship of the prices for the orders is not correct.');

/** the auth answers; binance sends 401 for key problems and 400 for a bad signature or timestamp */
export const KEY_FORMAT = (): Rejection => reject(-2014, 'API-key format invalid.', 401);
export const KEY_INVALID = (): Rejection => reject(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
export const BAD_SIGNATURE = (): Rejection => reject(-1022, 'Signature for this request is not valid.');
export const OUTSIDE_RECV_WINDOW = (): Rejection => reject(-1021, 'Timestamp for this request is outside of the recvWindow.');
export const AHEAD_OF_SERVER = (): Rejection => reject(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
export const RECV_WINDOW_TOO_BIG = (): Rejection => reject(-1131, 'recvWindow must be less than 60000');
