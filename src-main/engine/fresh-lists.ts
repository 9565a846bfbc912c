/**
 * Empty arrays whose elements already have the kind they will hold. V8 gives an empty array literal the elements kind
 * of small integers and moves it on at its first object or fraction; code compiled for the arrays of an earlier run
 * (the previous backtest in the same process, whose arrays had moved on) is thrown away when it meets a new one (a
 * "wrong map" or "not a Smi" deoptimisation, ~14 in a backtest's second run), and the run goes slower until it is
 * compiled again (docs/benchmarks.md, engine). Books, paper exchanges and journals that are made per run start their
 * lists with these.
 */
export function objectList<T extends object>(): T[] {
  const list: object[] = [{}];
  list.pop();
  return list as T[];
}

/** an empty array of numbers that need not be small integers (see objectList) */
export function numberList(): number[] {
  const list = [0.5];
  list.pop();
  return list;
}
