import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import { GraphQLError } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { ErrorCode, isPublicCode } from "../../shared/src/errors";
import { InflightDeduplicator, isReadOnly } from "./inflight";
import { SubgraphHttpClient, type SubgraphHttpResponse } from "./subgraph-http";

export interface GatewayContext {
  caller: Caller;
}

const DEPARTMENT_NAMES_ZH: Record<string, string> = {
  population: "人口计生",
  "public-security": "公安",
  "civil-affairs": "民政",
  health: "卫生",
};

/**
 * Calls one department's subgraph: signs the verified caller into the identity header, and gives up after
 * `timeoutMs` so that a slow department yields null plus an error instead of holding the whole response.
 * Network failures become SUBGRAPH_UNAVAILABLE naming the department, never the URL or the socket error.
 * Performance (docs/performance.md): kept-alive node:http connections (./subgraph-http.ts) and one JSON
 * parse per answer, instead of RemoteGraphQLDataSource's fetch with its per-call Request, Headers and body
 * streams; identical reads for the same caller and request sent once (./inflight.ts). No automatic
 * persisted queries to subgraphs: on loopback the saved bytes are negligible, and a hash miss makes the
 * gateway send a mutation a second time (once as a hash, once as text), which breaks "each write reaches
 * its department exactly once" (tests/integration/faults-*.test.ts). Nothing is ever retried.
 */
export class DepartmentDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly http: SubgraphHttpClient;
  private readonly inflight = new InflightDeduplicator<GatewayGraphQLResponse>();

  constructor(
    private readonly department: string,
    url: string,
    private readonly signingKey: string,
    timeoutMs: number,
  ) {
    this.http = new SubgraphHttpClient(url, timeoutMs);
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error("Missing query");
    // Serialised once: the body sent is also the key's second half (a list of 1,000 people's representations is
    // hundreds of kilobytes, and serialising it twice cost more than the rest of the fetch).
    const body = JSON.stringify({ query, variables, operationName, extensions });
    const caller = (options.context as Partial<GatewayContext>).caller;
    if (!caller || !isReadOnly(query)) return this.processOnce(options, body);
    // The whole caller (request id included) is part of the key: nothing is shared across callers or requests.
    const key = `${JSON.stringify(caller)}\n${body}`;
    return this.inflight.run(key, () => this.processOnce(options, body));
  }

  /** Closes the kept-alive connections to the department. */
  close(): void {
    this.http.close();
  }

  private async processOnce(options: GraphQLDataSourceProcessOptions<GatewayContext>, body: string): Promise<GatewayGraphQLResponse> {
    const headers: Record<string, string> = {};
    for (const [name, value] of options.request.http?.headers ?? []) headers[name] = value;
    headers["content-type"] = "application/json";
    const caller = (options.context as Partial<GatewayContext>).caller;
    // Gateway-internal requests (none today) carry no identity and are refused downstream.
    if (caller) headers[IDENTITY_HEADER] = signIdentity(caller, this.signingKey);
    let response: SubgraphHttpResponse;
    try {
      response = await this.http.post(body, headers);
    } catch (error) {
      // Checked by name, as for fetch's AbortSignal.timeout.
      throw this.unavailable((error as { name?: unknown } | null)?.name === "TimeoutError");
    }
    const answer = parseJson(response);
    if (response.status < 200 || response.status > 299) throw this.errorFromResponse(answer);
    if (!answer || typeof answer !== "object" || Array.isArray(answer)) throw this.unavailable(false);
    if ("incomingRequestContext" in options) restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, response.headers["cache-control"]);
    return answer as GatewayGraphQLResponse;
  }

  /** A non-2xx answer: keep the department's own coded error when it sent one, but never the URL or body. */
  private errorFromResponse(body: unknown): GraphQLError {
    const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors?.[0];
    const code = first?.extensions?.code;
    if (typeof code === "string" && isPublicCode(code) && typeof first?.message === "string") {
      return new GraphQLError(first.message, { extensions: { code, serviceName: this.department } });
    }
    return this.unavailable(false);
  }

  private unavailable(timedOut: boolean): GraphQLError {
    return new GraphQLError(
      `${DEPARTMENT_NAMES_ZH[this.department] ?? this.department}部门服务暂时不可用 (the ${this.department} service is ${timedOut ? "not answering in time" : "unavailable"})`,
      { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.department } },
    );
  }
}

/** The answer's JSON, or undefined when it is not JSON (a proxy's HTML error page, say). */
function parseJson(response: SubgraphHttpResponse): unknown {
  const type = response.headers["content-type"] ?? "";
  if (!type.startsWith("application/json") && !type.startsWith("application/graphql-response+json")) return undefined;
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

type IncomingOperation = Extract<GraphQLDataSourceProcessOptions<GatewayContext>, { incomingRequestContext: unknown }>;
type CachePolicy = IncomingOperation["incomingRequestContext"]["overallCachePolicy"];

/**
 * What RemoteGraphQLDataSource does with a department's Cache-Control: the response's overall cache policy
 * can only be as cacheable as every department's answer (no header: not cacheable).
 */
function restrictCachePolicy(policy: CachePolicy | undefined, header: string | undefined): void {
  if (!policy || !("restrict" in policy)) return;
  const directives = new Map<string, string | true>();
  for (const part of (header ?? "").trim().split(/\s*,\s*/)) {
    if (!part) continue;
    const [name, value] = part.split(/\s*=\s*/, 2);
    directives.set(name, value === undefined ? true : value.replace(/^"|"$/g, ""));
  }
  const maxAge = directives.get("max-age");
  const scope = directives.get("private") === true ? "PRIVATE" : directives.get("public") === true ? "PUBLIC" : undefined;
  policy.restrict({ maxAge: typeof maxAge === "string" && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0, ...(scope ? { scope } : {}) });
}
