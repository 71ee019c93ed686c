import { createServer } from "node:http";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type NextFunction, type Request, type Response } from "express";
import { GraphQLError } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { unauthenticated } from "../../shared/src/errors";
import type { AccessTokenPublicKeys } from "../../shared/src/auth/tokens";
import { loadPersistedOperations, partnerGate, type PartnerLimits } from "./partners";
import { DEPARTMENTS, subgraphUrlFor, type DepartmentName } from "../../shared/src/config";
import { GracefulShutdown, REQUEST_BODY_LIMIT, jsonBodyErrors, listen, type RunningService } from "../../shared/src/http";
import { gatewayReadiness } from "./health";
import { callerFromHeaders } from "./identity";
import { DEFAULT_GATEWAY_LIMITS, gatewayErrorFormatter, limitOptions, limitsPlugin, refuseBatches, scrubbingLogger, type GatewayLimits } from "./limits";
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
  const app = express();
  app.disable("x-powered-by");
  // No ETag: it hashes every answer (a profile of 50 people is tens of kilobytes), and a GraphQL POST is never revalidated.
  app.disable("etag");
  app.use(shutdown.middleware);
  app.get("/ready", gatewayReadiness(urls, shutdown));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/", (_req, res) => {
    res.type("html").send(playgroundHtml({ endpoint: "/graphql", ...options.playground }));
  });
  // Every request is authenticated before anything else: a missing, expired, wrongly signed or unsigned
  // token is refused with 401 before parsing or planning the document.
  const verifiedTokens = new VerifiedTokenCache();
  const authenticate = async (req: Request & { caller?: Caller }, res: Response, next: NextFunction) => {
    try {
      req.caller = await callerFromHeaders({ get: (name) => req.header(name) ?? undefined }, options.jwtSecret, options.identitySigningSecret, options.jwtPublicKeys, verifiedTokens);
      next();
    } catch (error) {
      const graphQLError = error instanceof GraphQLError ? error : unauthenticated("token invalid");
      res.status(401).json({ errors: [{ message: graphQLError.message, extensions: { code: graphQLError.extensions.code ?? "UNAUTHENTICATED" } }] });
    }
  };
  app.use(
    "/graphql",
    express.json({ limit: REQUEST_BODY_LIMIT }),
    authenticate,
    refuseBatches,
    partnerGate(loadPersistedOperations(), options.partnerLimits ?? { burst: 20, perSecond: 5 }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ caller: (req as Request & { caller: Caller }).caller }),
    }),
  );
  app.use(jsonBodyErrors);

  const httpServer = createServer(app);
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
