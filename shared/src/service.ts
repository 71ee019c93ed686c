import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type NextFunction, type Request, type Response } from "express";
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
import type { ApolloServerPlugin } from "@apollo/server";

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

export interface RunningService {
  name: string;
  url: string;
  port: number;
  db?: Database;
  stop(): Promise<void>;
}

export const REQUEST_BODY_LIMIT = "1mb";

/** Express error handler: malformed or oversized bodies answer JSON, never an HTML page. */
export function jsonBodyErrors(error: any, _req: Request, res: Response, next: NextFunction) {
  if (!error) return next();
  const status = typeof error.status === "number" ? error.status : 500;
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status < 500 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
  const message =
    status === 413 ? "请求体过大 (request body too large)" : status < 500 ? "请求体不是有效的 JSON (request body is not valid JSON)" : "内部错误 (internal server error)";
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections?.();
  });
}

/** How long a stopping service waits for in-flight requests before cutting their connections. */
export const SHUTDOWN_GRACE_MS = 8000;

/**
 * Graceful stop for an HTTP service (SIGTERM): from `drain()` on, new requests are refused (the listener
 * closes, so new connections are refused; a request arriving on a kept-alive connection gets 503
 * SHUTTING_DOWN) while requests already in flight run to completion and leave with `Connection: close`.
 * `/ready` answers 503 as soon as draining starts. Mount `middleware` before every route.
 */
export class GracefulShutdown {
  private draining = false;
  private readonly inFlight = new Set<Response>();

  get isDraining(): boolean {
    return this.draining;
  }

  readonly middleware = (_req: Request, res: Response, next: NextFunction) => {
    if (this.draining) {
      res.setHeader("connection", "close");
      res.status(503).json({ errors: [{ message: "服务正在停止 (the service is shutting down)", extensions: { code: "SHUTTING_DOWN" } }] });
      return;
    }
    this.inFlight.add(res);
    res.on("close", () => {
      this.inFlight.delete(res);
      // A kept-alive connection whose last request just ended would otherwise hold server.close() open.
      if (this.draining) setImmediate(() => this.server?.closeIdleConnections?.());
    });
    next();
  };

  private server?: Server;

  /** Stops accepting, lets in-flight requests finish (at most `graceMs`), then resolves. */
  async drain(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    this.draining = true;
    this.server = server;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader("connection", "close");
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections?.(), graceMs);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections?.();
    });
  }
}

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
            console.error("[audit] access log write failed; withholding the response:", error instanceof Error ? error.message : error);
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
    // Signals are handled once, by stopOnSignals (shared/src/main.ts), which also closes the database.
    stopOnTerminationSignals: false,
    formatError: (formatted, original) => formatErrorForClients(formatted, original) as typeof formatted,
  });
  await apollo.start();

  const shutdown = new GracefulShutdown();
  const app = express();
  app.disable("x-powered-by");
  // No ETag: it hashes every answer, and a GraphQL POST is never revalidated.
  app.disable("etag");
  app.use(shutdown.middleware);
  // Live: the process answers. Ready: its database answers too (within READY_TIMEOUT_MS), and it is not stopping.
  app.get("/health", (_req, res) => {
    res.json({ status: "ok", service: definition.name });
  });
  app.get("/ready", async (_req, res) => {
    if (await databaseReachable(db)) res.json({ status: "ready", service: definition.name });
    else res.status(503).json({ status: "unavailable", service: definition.name, reason: "database" });
  });
  app.use(
    "/graphql",
    express.json({ limit: REQUEST_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), signingKey);
        return {
          caller,
          db,
          loaders: definition.createLoaders(db, caller),
          audit: new AuditRecorder(),
          auditSubjects: definition.auditSubjects ?? {},
        };
      },
    }),
  );
  app.use(jsonBodyErrors);

  const httpServer = createServer(app);
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

/** How long `/ready` waits for an answer from a dependency before calling it unreachable. */
export const READY_TIMEOUT_MS = 2000;

/** Resolves `fallback` when `promise` has not settled within `ms` (the promise itself is left to finish). */
export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
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
