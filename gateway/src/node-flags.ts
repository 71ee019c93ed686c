import { getHeapStatistics } from "node:v8";

/**
 * The V8 flags the gateway process runs with (Dockerfile, docker-compose.yml, `npm start`, the benchmarks).
 *
 * Without a limit V8 lets the old generation grow to a quarter or more of the machine's memory before it
 * collects in earnest, so under load the gateway's RSS climbed to 250–300 MB although what it holds at once
 * (plans, the answers of the requests in flight) stays near 100 MB. With the old generation limited to 192 MB
 * it collects sooner: peak RSS 140–166 MB for every HTTP workload and during dataQuality, with the same
 * requests/s (docs/performance.md, 2026-12-02). The young generation is left at V8's default: a smaller one
 * saved another 20–30 MB but cost lookups a fifth of their throughput.
 *
 * The limit is far above what the gateway needs: twelve concurrent lists of 1,000 people from four departments
 * peaked at 147 MB RSS. A deployment that raises the page sizes or concurrency a lot should raise it too
 * (NODE_OPTIONS or the command line): a process that exceeds it stops with "heap out of memory".
 */
export const GATEWAY_NODE_FLAGS = ["--max-old-space-size=192"] as const;

const OLD_SPACE_MB = Number(/=(\d+)$/.exec(GATEWAY_NODE_FLAGS[0])![1]);

/**
 * Whether a V8 heap limit (getHeapStatistics().heap_size_limit, in bytes) is the one GATEWAY_NODE_FLAGS set:
 * it is the old generation's limit plus the young generation's (a few tens of MB).
 */
export function isGatewayHeapLimit(heapSizeLimitBytes: number): boolean {
  const mb = heapSizeLimitBytes / 2 ** 20;
  return mb >= OLD_SPACE_MB && mb <= OLD_SPACE_MB + 64;
}

/** The heap limit this process runs with, in MB, and whether it is the gateway's. */
export function gatewayHeapLimit(): { limitMB: number; configured: boolean } {
  const bytes = getHeapStatistics().heap_size_limit;
  return { limitMB: Math.round(bytes / 2 ** 20), configured: isGatewayHeapLimit(bytes) };
}
