import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import type { Caller } from "./auth/caller";
import { defaultScopes } from "./auth/grants";
import { IDENTITY_HEADER, signIdentity } from "./auth/identity-header";
import type { DepartmentName } from "./config";
import { numberSetting, secret } from "./config";
import { ErrorCode } from "./errors";
import { SERVICE_MAX_PAGE_SIZE } from "./pagination";

const CALLER_DEPARTMENT: Record<DepartmentName, Caller["dept"]> = {
  population: "population",
  "public-security": "public_security",
  "civil-affairs": "civil_affairs",
  health: "health",
};

/** Where the gateway is, read at call time (tests start it on port 0 after the subgraphs). */
export function gatewayUrl(): string {
  return process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
}

/**
 * A department reading another department's records goes through the graph, never the other database
 * (DESIGN.md). It calls the gateway as a service identity of its own department, within the jurisdiction of
 * the clerk it acts for, with a stated purpose naming that clerk, so the other department's access log shows
 * who asked and why. The identity is signed like the gateway's own (the gateway accepts it in place of a
 * token; nobody without the signing secret can produce one).
 */
export async function queryPlatform<T>(
  department: DepartmentName,
  onBehalfOf: Caller,
  purpose: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const identity: Caller = {
    sub: `service:${department}`,
    dept: CALLER_DEPARTMENT[department],
    scopes: defaultScopes(CALLER_DEPARTMENT[department]),
    region: onBehalfOf.region,
    purpose: `${purpose} (for ${onBehalfOf.sub}${onBehalfOf.purpose ? `: ${onBehalfOf.purpose}` : ""})`.slice(0, 200),
    requestId: randomUUID(),
  };
  let response: Response;
  try {
    response = await fetch(gatewayUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", [IDENTITY_HEADER]: signIdentity(identity, secret("IDENTITY_SIGNING_SECRET")) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(numberSetting("PLATFORM_QUERY_TIMEOUT_MS", 15_000)),
    });
  } catch {
    throw new GraphQLError("共享平台暂时不可用 (the platform gateway is unavailable)", { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE } });
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) {
    const first = body.errors?.[0];
    throw new GraphQLError(`跨部门查询失败 (a cross-department query failed: ${first?.message ?? response.status})`, {
      extensions: { code: first?.extensions?.code === "SUBGRAPH_UNAVAILABLE" ? ErrorCode.SUBGRAPH_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR },
    });
  }
  return body.data;
}

/** One page of any connection the graph returns (`nodes` plus `pageInfo`). */
export interface ConnectionPage<Node> {
  nodes: Node[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Reads every node of one connection through the graph, page after page of SERVICE_MAX_PAGE_SIZE, so that a
 * report over a whole county costs a number of requests bounded by its size in pages, never by its rows.
 * `query` takes `$first: Int` and `$after: String`; `connectionOf` picks the connection out of the data.
 */
export async function queryPlatformAll<Data, Node>(
  department: DepartmentName,
  onBehalfOf: Caller,
  purpose: string,
  query: string,
  variables: Record<string, unknown>,
  connectionOf: (data: Data) => ConnectionPage<Node>,
): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Data = await queryPlatform<Data>(department, onBehalfOf, purpose, query, { ...variables, first: SERVICE_MAX_PAGE_SIZE, after });
    const page = connectionOf(data);
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
    after = page.pageInfo.endCursor;
  }
}
