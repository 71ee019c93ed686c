/**
 * The HTTP pieces the gateway and the subgraphs share: listening, JSON errors for bad bodies, graceful stop,
 * timeouts for readiness checks. Kept apart from service.ts so that the gateway does not load typeorm, the
 * database drivers and type-graphql (about 40 MB of its memory) for them.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextFunction, Request, Response } from "express";
import type { Database } from "./database";
import { logError } from "./log";

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

/**
 * Runs a service until SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database,
 * exit 0 (see GracefulShutdown in service.ts). Used by every subgraph's index.ts (shared/src/main.ts) and by the gateway.
 */
export function stopOnSignals(service: RunningService): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[${service.name}] ${signal}: finishing in-flight requests`);
    // The drain cuts what is left after SHUTDOWN_GRACE_MS; this is the last resort should closing hang.
    const forceExit = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 2000);
    forceExit.unref();
    try {
      await service.stop();
      process.exit(0);
    } catch (error) {
      logError(service.name, "error while stopping", error);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
