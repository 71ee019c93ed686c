/**
 * In-flight deduplication of identical subgraph reads: while one fetch for a key is on its way, another one
 * for the same key waits for it instead of calling the department again. The key always contains the whole
 * verified caller, request id included, so results are never shared between callers nor between two client
 * requests of one caller: each request must reach the department itself, since the department writes one
 * access-log entry per person and request (and checks that caller's grants). Mutations never come here.
 */
export class InflightDeduplicator<T> {
  private readonly pending = new Map<string, Promise<T>>();
  /** Fetches answered by another fetch's result (the benchmark reads it). */
  hits = 0;

  constructor(private readonly copy: (value: T) => T = (value) => structuredClone(value)) {}

  run(key: string, fetch: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) {
      this.hits++;
      // The follower gets its own copy: the executor merges entities into the objects it receives.
      return existing.then(this.copy);
    }
    const promise = fetch().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }
}

/** Only plain reads are shared; a document with a mutation (or subscription) anywhere is always sent. */
export function isReadOnly(query: string): boolean {
  return !/^\s*(mutation|subscription)\b/m.test(query.replace(/#[^\n]*/g, ""));
}
