import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { unauthenticated } from "../../shared/src/errors";
import type { AccessTokenPublicKeys } from "../../shared/src/auth/tokens";
import { loadPersistedOperations, partnerGate, type PartnerLimits } from "./partners";
import { DEPARTMENTS, subgraphUrlFor, type DepartmentName } from "../../shared/src/config";
import { bodyOrRefusal, createHttpServer, headerValue, runGraphQL, type Handler } from "../../shared/src/graphql-http";
import { GracefulShutdown, listen, sendError, sendJson, type RunningService } from "../../shared/src/http";
import { gatewayReadiness } from "./health";
import { callerFromHeaders } from "./identity";
import { DEFAULT_GATEWAY_LIMITS, gatewayErrorFormatter, limitOptions, limitsPlugin, refuseBatch, scrubbingLogger, type GatewayLimits } from "./limits";
import { playgroundHtml, type PlaygroundOptions } from "./playground";
import { DepartmentDataSource, type GatewayContext } from "./subgraph-client";
import { VerifiedTokenCache } from "./token-cache";

export interface GatewayOptions {
  supergraphSdl: string;
  /** Overrides of the subgraph URLs (tests on port 0); others come from `<NAME>_URL` or the default ports. */
  subgraphUrls?: Partial<Record<DepartmentName, string>>;
  subgraphTimeoutMs: number;
  jwtSecret: string;
  /** A deployment's identity-provider keys (JWT_JWKS_FILE / JWT_PUBLIC_KEY_FILE): when set, only they verify tokens. */
  jwtPublicKeys?: AccessTokenPublicKeys | null;
  identitySigningSecret: string;
  port?: number;
  host?: string;
  playground?: Omit<PlaygroundOptions, "endpoint">;
  partnerLimits?: PartnerLimits;
  /** What a caller may send (gateway/src/limits.ts); default DEFAULT_GATEWAY_LIMITS (development mode). */
  limits?: GatewayLimits;
}

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const urls: Record<string, string> = {};
  for (const name of DEPARTMENTS) urls[name] = options.subgraphUrls?.[name] ?? subgraphUrlFor(name);

  const dataSources: DepartmentDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: scrubbingLogger,
    buildService: ({ name }) => {
      const dataSource = new DepartmentDataSource(name, urls[name], options.identitySigningSecret, options.subgraphTimeoutMs);
      dataSources.push(dataSource);
      return dataSource;
    },
  });

  const limits = options.limits ?? DEFAULT_GATEWAY_LIMITS;
  const { plugins: armorPlugins, ...limitSettings } = limitOptions(limits);
  const formatGatewayError = gatewayErrorFormatter(limits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...limitSettings,
    plugins: [...(armorPlugins ?? []), limitsPlugin(limits)],
    includeStacktraceInErrorResponses: false,
    logger: scrubbingLogger,
    // Signals are handled once, by stopOnSignals (shared/src/main.ts), which also closes the database.
    stopOnTerminationSignals: false,
    formatError: (formatted, original) => formatGatewayError(formatted, original) as typeof formatted,
  });
  await apollo.start();

  const shutdown = new GracefulShutdown();
  const verifiedTokens = new VerifiedTokenCache();
  const partnersOnly = partnerGate(loadPersistedOperations(), options.partnerLimits ?? { burst: 20, perSecond: 5 });
  const graphql: Handler = async (req, res) => {
    // Every request is authenticated before anything else: a missing, expired, wrongly signed or unsigned
    // token is refused with 401 before its body is even read (node discards what is left of it).
    let caller: Caller;
    try {
      caller = await callerFromHeaders({ get: (name) => headerValue(req, name) }, options.jwtSecret, options.identitySigningSecret, options.jwtPublicKeys, verifiedTokens);
    } catch (error) {
      const graphQLError = error instanceof GraphQLError ? error : unauthenticated("token invalid");
      return sendError(res, 401, String(graphQLError.extensions.code ?? "UNAUTHENTICATED"), graphQLError.message);
    }
    const read = await bodyOrRefusal(req, res);
    if (!read) return;
    if (refuseBatch(read.body, res)) return;
    const body = partnersOnly(caller, read.body, res);
    if (body === null) return;
    await runGraphQL(apollo, req, res, body, async () => ({ caller }));
  };
  // Rendered on the first visit, not at start: GraphiQL's bundle costs memory only once someone opens the playground.
  let playground: string | undefined;
  const httpServer = createHttpServer("gateway", shutdown, {
    graphql,
    get: {
      "/ready": gatewayReadiness(urls, shutdown),
      "/health": (_req, res) => sendJson(res, 200, { status: "ok", service: "gateway" }),
      "/": (_req, res) => {
        playground ??= playgroundHtml({ endpoint: "/graphql", ...options.playground });
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.setHeader("content-length", Buffer.byteLength(playground));
        res.end(playground);
      },
    },
  });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(httpServer, options.port ?? 0, host);
  return {
    name: "gateway",
    url: `http://${host}:${port}/graphql`,
    port,
    async stop() {
      await shutdown.drain(httpServer);
      await apollo.stop();
      for (const dataSource of dataSources) dataSource.close();
    },
  };
}
