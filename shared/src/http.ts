/**
 * The HTTP pieces the gateway and the subgraphs share: listening, JSON answers, graceful stop,
 * timeouts for readiness checks. Kept apart from service.ts so that the gateway does not load typeorm, the
 * database drivers and type-graphql (about 40 MB of its memory) for them.
 */
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "./database";
import { logError } from "./log";

export interface RunningService {
  name: string;
  url: string;
  port: number;
  db?: Database;
  stop(): Promise<void>;
}

/** The largest request body taken, decoded (1 MiB): a document and its variables, never a file. */
export const REQUEST_BODY_LIMIT_BYTES = 1024 * 1024;

/** Answers `value` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
}

/** Answers a refusal the way GraphQL errors look: `{ errors: [{ message, extensions: { code } }] }`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
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
 * `/ready` answers 503 as soon as draining starts. Every request passes `admit` first (graphql-http.ts).
 */
export class GracefulShutdown {
  private draining = false;
  private readonly inFlight = new Set<ServerResponse>();

  get isDraining(): boolean {
    return this.draining;
  }

  /** Whether a request may start: once draining, it is answered 503 SHUTTING_DOWN here and `false` returned. */
  admit(res: ServerResponse): boolean {
    if (this.draining) {
      res.setHeader("connection", "close");
      sendError(res, 503, "SHUTTING_DOWN", "服务正在停止 (the service is shutting down)");
      return false;
    }
    this.inFlight.add(res);
    res.on("close", () => {
      this.inFlight.delete(res);
      // A kept-alive connection whose last request just ended would otherwise hold server.close() open.
      if (this.draining) setImmediate(() => this.server?.closeIdleConnections?.());
    });
    return true;
  }

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
