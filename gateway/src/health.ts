import type { IncomingMessage, ServerResponse } from "node:http";
import { READY_TIMEOUT_MS, sendJson, withTimeout, type GracefulShutdown } from "../../shared/src/http";

/** A subgraph's liveness endpoint, next to its GraphQL endpoint: `http://host:4004/graphql` -> `http://host:4004/health`. */
export function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, "") + "/health";
  url.search = "";
  return url.toString();
}

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
  await response.body?.cancel();
  return response.ok;
}

/**
 * The gateway's `/ready`: 200 when every department's subgraph answers its `/health` within
 * READY_TIMEOUT_MS, else 503 naming the departments that do not (never their addresses). The gateway still
 * serves the other departments meanwhile; readiness only tells a load balancer the graph is incomplete.
 */
export function gatewayReadiness(subgraphUrls: Record<string, string>, shutdown: GracefulShutdown) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    const names = Object.keys(subgraphUrls);
    const reachable = await Promise.all(names.map((name) => withTimeout(answers(healthUrlOf(subgraphUrls[name])), READY_TIMEOUT_MS, false)));
    const subgraphs = Object.fromEntries(names.map((name, i) => [name, reachable[i] ? "ok" : "unavailable"]));
    const ready = !shutdown.isDraining && reachable.every(Boolean);
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "unavailable", service: "gateway", subgraphs });
  };
}
