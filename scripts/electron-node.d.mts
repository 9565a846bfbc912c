export declare const ELECTRON_NODE_MAJOR: number;
export declare function electronNodeBinary():
  { binary: string; version: string; skipped?: undefined } | { skipped: string; binary?: undefined; version?: undefined };
