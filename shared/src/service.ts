import "reflect-metadata";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { Caller } from "./auth/caller";
import { IDENTITY_HEADER, verifyIdentity } from "./auth/identity-header";
import { numberSetting, secret, type DepartmentName } from "./config";
import { boundQueries, openDatabase, type Database, type DatabaseOptions } from "./database";
import { formatErrorForClients } from "./errors";
import { ACCESS_LOG_ENTITIES } from "./audit/access-log.entity";
import { AuditRecorder, ensureAccessLogHead } from "./audit/recorder";
import type { AuditSubjects, AuthorizationContext } from "./auth/authorize";
import { IdempotencyRecord } from "./writes/idempotency.entity";
import { bodyOrRefusal, createHttpServer, headerValue, runGraphQL } from "./graphql-http";
import { GracefulShutdown, READY_TIMEOUT_MS, listen, sendJson, withTimeout, type RunningService } from "./http";
import { logError, serviceLogger } from "./log";

export { GracefulShutdown, READY_TIMEOUT_MS, SHUTDOWN_GRACE_MS, closeServer, listen, withTimeout, type RunningService } from "./http";

/**
 * What every resolver of a subgraph receives. Loaders are created per request (with the caller, for row
 * filters) so that caches never leak between callers; the audit recorder collects this request's reads.
 */
export interface SubgraphContext<Loaders> extends AuthorizationContext {
  caller: Caller;
  db: Database;
  loaders: Loaders;
}

export interface SubgraphDefinition<Loaders> {
  name: DepartmentName;
  buildSchema(): Promise<GraphQLSchema>;
  database: Omit<DatabaseOptions, "url">;
  createLoaders(db: Database, caller: Caller): Loaders;
  /** Reference data a department keeps in its own database (e.g. civil-affairs' division list). */
  afterMigrations?(db: Database): Promise<void>;
  /** For the access log: which persons a record of each (non-Person) type is about. */
  auditSubjects?: AuditSubjects;
}

/** Tables every department keeps besides its own records: the access log and idempotency keys. */
export const PLATFORM_ENTITIES = [...ACCESS_LOG_ENTITIES, IdempotencyRecord];

/**
 * Writes the request's access-log entries before the response leaves. If the log cannot be written the
 * data is withheld (fail closed): the response becomes an AUDIT_UNAVAILABLE error.
 */
function accessLogPlugin<Loaders>(): ApolloServerPlugin<SubgraphContext<Loaders>> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (!contextValue?.audit || contextValue.audit.size === 0) return;
          try {
            await contextValue.audit.flush(contextValue.db, contextValue.caller);
          } catch (error) {
            logError("audit", "access log write failed; withholding the response", error);
            response.body = {
              kind: "single",
              singleResult: {
                errors: [{ message: "访问日志暂时无法写入，数据不予返回 (the access log cannot be written: data withheld)", extensions: { code: "AUDIT_UNAVAILABLE" } }],
              },
            };
            if (response.http) response.http.status = 503;
          }
        },
      };
    },
  };
}

export interface StartSubgraphOptions {
  databaseUrl: string;
  /** The schema owner's connection for the migrations (`<NAME>_MIGRATION_DATABASE_URL`); see openDatabase. */
  migrationDatabaseUrl?: string;
  port?: number;
  host?: string;
}

/** Opens the department's database, applies migrations and serves its subgraph over HTTP. */
export async function startSubgraph<Loaders>(definition: SubgraphDefinition<Loaders>, options: StartSubgraphOptions): Promise<RunningService> {
  const db = await openDatabase({ ...definition.database, url: options.databaseUrl, migrationUrl: options.migrationDatabaseUrl });
  await ensureAccessLogHead(db);
  await definition.afterMigrations?.(db);
  boundQueries(db, numberSetting("DATABASE_QUERY_TIMEOUT_MS", 30_000));
  const schema = await definition.buildSchema();
  const signingKey = secret("IDENTITY_SIGNING_SECRET");

  const apollo = new ApolloServer<SubgraphContext<Loaders>>({
    schema,
    // Federated traces would send resolver timings to the gateway on every call; nothing here reads them.
    // Cache control: no field has a cache hint and no answer of personal data may be cached, but the plugin's
    // per-field hook makes Apollo wrap and time every resolver of every request (docs/performance.md).
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), accessLogPlugin<Loaders>()],
    includeStacktraceInErrorResponses: false,
    logger: serviceLogger(definition.name),
    // Signals are handled once, by stopOnSignals (shared/src/main.ts), which also closes the database.
    stopOnTerminationSignals: false,
    formatError: (formatted, original) => formatErrorForClients(formatted, original) as typeof formatted,
  });
  await apollo.start();

  const shutdown = new GracefulShutdown();
  const httpServer = createHttpServer(definition.name, shutdown, {
    graphql: async (req, res) => {
      const read = await bodyOrRefusal(req, res);
      if (!read) return;
      await runGraphQL(apollo, req, res, read.body, async () => {
        // An unsigned or wrongly signed call fails here, and Apollo answers it 401 UNAUTHENTICATED.
        const caller = verifyIdentity(headerValue(req, IDENTITY_HEADER), signingKey);
        return {
          caller,
          db,
          loaders: definition.createLoaders(db, caller),
          audit: new AuditRecorder(),
          auditSubjects: definition.auditSubjects ?? {},
        };
      });
    },
    get: {
      // Live: the process answers. Ready: its database answers too (within READY_TIMEOUT_MS), and it is not stopping.
      "/health": (_req, res) => sendJson(res, 200, { status: "ok", service: definition.name }),
      "/ready": async (_req, res) => {
        if (await databaseReachable(db)) sendJson(res, 200, { status: "ready", service: definition.name });
        else sendJson(res, 503, { status: "unavailable", service: definition.name, reason: "database" });
      },
    },
  });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(httpServer, options.port ?? 0, host);
  return {
    name: definition.name,
    url: `http://${host}:${port}/graphql`,
    port,
    db,
    async stop() {
      // In-flight requests still need Apollo and the database: both close only once the HTTP side has drained.
      await shutdown.drain(httpServer);
      await apollo.stop();
      if (db.dataSource.isInitialized) await db.dataSource.destroy();
    },
  };
}

/** Whether the department's database answers `SELECT 1` within READY_TIMEOUT_MS. */
export function databaseReachable(db: Database): Promise<boolean> {
  if (!db.dataSource.isInitialized) return Promise.resolve(false);
  return withTimeout(
    db.dataSource.query("SELECT 1").then(() => true),
    READY_TIMEOUT_MS,
    false,
  );
}
