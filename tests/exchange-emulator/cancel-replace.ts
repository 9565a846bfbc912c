/**
 * POST /api/v3/order/cancelReplace, which ccxt's editOrder calls for spot: cancel one order, then place another.
 * STOP_ON_FAILURE places nothing when the cancel fails (-2022); a new order refused after a successful cancel is
 * -2021 "partially failed" (HTTP 409) — the old order is gone either way, which is what an adapter must handle.
 */
import type { Book, Json } from './book';
import { type Rejection, isRejection, mandatory, reject } from './errors';
import type { Params } from './order-rules';
import { cancelOrder } from './queries';

const CANCEL_KEYS = ['cancelReplaceMode', 'cancelOrderId', 'cancelOrigClientOrderId', 'cancelNewClientOrderId', 'cancelRestrictions'];

const errorJson = (r: Rejection) => ({ code: r.code, msg: r.msg });

export function cancelReplace(book: Book, p: Params): Json | Rejection {
  const mode = p.cancelReplaceMode;
  if (!mode) return mandatory('cancelReplaceMode');
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE') return reject(-1145, 'Invalid cancelReplaceMode.');
  if (p.cancelOrderId === undefined && p.cancelOrigClientOrderId === undefined) {
    return reject(-1102, "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!");
  }
  const cancelParams: Params = { symbol: p.symbol ?? '' };
  if (p.cancelOrderId !== undefined) cancelParams.orderId = p.cancelOrderId;
  if (p.cancelOrigClientOrderId !== undefined) cancelParams.origClientOrderId = p.cancelOrigClientOrderId;
  if (p.cancelNewClientOrderId !== undefined) cancelParams.newClientOrderId = p.cancelNewClientOrderId;
  const cancelled = cancelOrder(book, cancelParams);

  const orderParams: Params = Object.fromEntries(Object.entries(p).filter(([k]) => !CANCEL_KEYS.includes(k)));
  if (isRejection(cancelled) && mode === 'STOP_ON_FAILURE') {
    return failed(-2022, 'Order cancel-replace failed.', 400, {
      cancelResult: 'FAILURE',
      newOrderResult: 'NOT_ATTEMPTED',
      cancelResponse: errorJson(cancelled),
      newOrderResponse: null,
    });
  }
  const placed = book.placeOrder(orderParams);
  const cancelResult = isRejection(cancelled) ? 'FAILURE' : 'SUCCESS';
  const cancelResponse = isRejection(cancelled) ? errorJson(cancelled) : cancelled;
  if (isRejection(placed) || isRejection(cancelled)) {
    const both = isRejection(placed) && isRejection(cancelled);
    return failed(
      both ? -2022 : -2021,
      both ? 'Order cancel-replace failed.' : 'Order cancel-replace partially failed.',
      both ? 400 : 409,
      {
        cancelResult,
        newOrderResult: isRejection(placed) ? 'FAILURE' : 'SUCCESS',
        cancelResponse,
        newOrderResponse: isRejection(placed) ? errorJson(placed) : placed,
      },
    );
  }
  return { cancelResult, newOrderResult: 'SUCCESS', cancelResponse, newOrderResponse: placed };
}

function failed(code: number, msg: string, status: number, data: Record<string, unknown>): Rejection {
  return { ...reject(code, msg, status), data };
}
