// The subset of autocannon's programmatic API the API benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    headers?: Record<string, string>;
    /** requests in turn; setupRequest may change each one before it is sent (e.g. a new path every time) */
    requests?: { method?: string; setupRequest?: (req: { path: string; method: string }) => { path: string; method: string } }[];
  }
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    /** bytes a second, headers included */
    throughput: Histogram;
    non2xx: number;
    errors: number;
  }
  export default function autocannon(opts: Options): Promise<Result>;
}
