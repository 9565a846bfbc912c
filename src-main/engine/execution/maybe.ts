import { isPromise, type MaybePromise } from '../ports/exchange.port';

/** Continue with `f` now when `v` is a plain value, later when it is a promise: the backtest never awaits. */
export function andThen<T, R>(v: MaybePromise<T>, f: (t: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(v) ? v.then(f) : f(v);
}

/** Run steps one after another, synchronously while each answers synchronously. */
export function sequence<T>(items: readonly T[], step: (item: T) => MaybePromise<unknown>): MaybePromise<void> {
  for (let i = 0; i < items.length; i++) {
    const r = step(items[i]);
    if (isPromise(r)) {
      const rest = items.slice(i + 1);
      return r.then(() => sequence(rest, step));
    }
  }
  return undefined;
}
