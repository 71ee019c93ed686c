import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { Fetcher } from "@apollo/utils.fetcher";
import { GraphQLError } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { IDENTITY_HEADER, signIdentity } from "../../shared/src/auth/identity-header";
import { ErrorCode, isPublicCode } from "../../shared/src/errors";
import { InflightDeduplicator, isReadOnly } from "./inflight";

export interface GatewayContext {
  caller: Caller;
}

const DEPARTMENT_NAMES_ZH: Record<string, string> = {
  population: "人口计生",
  "public-security": "公安",
  "civil-affairs": "民政",
  health: "卫生",
};

/** Most connections kept to one department: beyond it requests queue (and time out) instead of piling up sockets. */
const CONNECTIONS_PER_SUBGRAPH = 64;
/** Idle keep-alive sockets live this long (undici's default, 4 s, drops them between bursts). */
const KEEP_ALIVE_MS = 30_000;

type Dispatcher = object;
let sharedDispatcher: Dispatcher | undefined;

/**
 * A keep-alive undici Agent for all subgraph calls. Node's fetch is undici, but undici is not importable
 * as a package here, so its Agent class is taken from the global dispatcher, which exists once fetch has run.
 * Until then (the very first call) fetch uses the global dispatcher, which keeps connections alive too.
 */
function keepAliveDispatcher(): Dispatcher | undefined {
  if (sharedDispatcher) return sharedDispatcher;
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for("undici.globalDispatcher.1")] as { constructor: new (options: object) => Dispatcher } | undefined;
  if (!global || global.constructor.name !== "Agent") return undefined;
  sharedDispatcher = new global.constructor({ connections: CONNECTIONS_PER_SUBGRAPH, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS });
  return sharedDispatcher;
}

/**
 * Calls one department's subgraph: signs the verified caller into the identity header, and gives up after
 * `timeoutMs` so that a slow department yields null plus an error instead of holding the whole response.
 * Network failures become SUBGRAPH_UNAVAILABLE naming the department, never the URL or the socket error.
 * Performance (docs/performance.md): keep-alive connections, and identical reads for the same caller and request
 * sent once (./inflight.ts). No automatic persisted queries to subgraphs: on loopback the saved bytes are
 * negligible, and a hash miss makes the gateway send a mutation a second time (once as a hash, once as text),
 * which breaks "each write reaches its department exactly once" (tests/integration/faults-*.test.ts).
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly department: string,
    url: string,
    private readonly signingKey: string,
    timeoutMs: number,
  ) {
    super({ url });
    this.fetcher = ((input: string, init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs), dispatcher: keepAliveDispatcher() } as RequestInit)) as unknown as Fetcher;
  }

  private readonly inflight = new InflightDeduplicator<Awaited<ReturnType<RemoteGraphQLDataSource["process"]>>>();

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!context.caller) return; // gateway-internal requests (none today) carry no identity and are refused downstream
    request.http?.headers.set(IDENTITY_HEADER, signIdentity(context.caller, this.signingKey));
  }

  /** A non-2xx answer: keep the department's own coded error when it sent one, but never the URL or body. */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource["errorFromResponse"]>[0]): Promise<GraphQLError> {
    let first: { message?: unknown; extensions?: { code?: unknown } } | undefined;
    try {
      first = ((await response.json()) as { errors?: (typeof first)[] })?.errors?.[0];
    } catch {
      first = undefined;
    }
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

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { query, variables } = options.request;
    const caller = (options.context as Partial<GatewayContext>).caller;
    if (!caller || !query || !isReadOnly(query)) return this.processOnce(options);
    // The whole caller (request id included) is part of the key: nothing is shared across callers or requests.
    const key = JSON.stringify([caller, query, variables ?? null]);
    return this.inflight.run(key, () => this.processOnce(options));
  }

  private async processOnce(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions?.code && error.extensions.code !== "INTERNAL_SERVER_ERROR") throw error;
      // Checked by name: fetch's DOMException is not always an instance of this realm's Error.
      const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
      throw this.unavailable(timedOut);
    }
  }
}
