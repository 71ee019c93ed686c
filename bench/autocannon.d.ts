// autocannon ships no types; the benchmark uses only this much of its programmatic API.
declare module "autocannon" {
  namespace autocannon {
    interface Histogram {
      p50: number;
      p90: number;
      p99: number;
      mean: number;
      max: number;
      average: number;
    }
    interface Result {
      latency: Histogram;
      requests: Histogram & { total: number };
      non2xx: number;
      errors: number;
      timeouts: number;
    }
  }
  function autocannon(options: Record<string, unknown>): Promise<autocannon.Result>;
  export = autocannon;
}
