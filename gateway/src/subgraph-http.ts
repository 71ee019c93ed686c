import { Agent, request, type IncomingHttpHeaders } from "node:http";

/** Most connections kept to one department: beyond it requests queue (and time out) instead of piling up sockets. */
const CONNECTIONS_PER_SUBGRAPH = 64;
/**
 * Idle keep-alive sockets live at most this long. Node's agent shortens it to the department's own
 * `Keep-Alive: timeout=N` hint minus a second (Node's subgraph servers announce 5 s), so that the gateway
 * never reuses a socket the department is closing at that moment (which would fail one request).
 */
const KEEP_ALIVE_MS = 30_000;

export interface SubgraphHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text (UTF-8). */
  body: string;
}

/** The error a request given up after its time limit rejects with (its name as fetch's AbortSignal.timeout gives it). */
export class SubgraphTimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * POSTs to one department over kept-alive node:http connections. Chosen over fetch (undici) for the
 * gateway's busiest path: fetch builds WHATWG Request/Response objects, headers and body streams for every
 * call, which cost the gateway more CPU than planning and merging the answer (docs/performance.md).
 * A request is sent once and never retried (a mutation must reach its department at most once); after
 * `timeoutMs` it is abandoned and its socket destroyed, so nothing lingers at a department that hangs.
 */
export class SubgraphHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS_PER_SUBGRAPH, timeout: KEEP_ALIVE_MS, scheduling: "lifo" });
  private readonly target: URL;

  constructor(url: string, private readonly timeoutMs: number) {
    this.target = new URL(url);
    if (this.target.protocol !== "http:") throw new Error(`subgraph URL ${url}: only http: is supported (departments are reached on the internal network)`);
  }

  post(body: string, headers: Record<string, string>): Promise<SubgraphHttpResponse> {
    const payload = Buffer.from(body, "utf8");
    return new Promise<SubgraphHttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, response?: SubgraphHttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(response!);
      };
      const req = request(
        {
          agent: this.agent,
          host: this.target.hostname,
          port: this.target.port || 80,
          path: this.target.pathname + this.target.search,
          method: "POST",
          headers: { ...headers, "content-length": String(payload.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", (error) => finish(error));
          // The connection closed before the whole answer arrived.
          res.on("close", () => {
            if (!res.complete) finish(new Error("response incomplete"));
          });
        },
      );
      const timer = setTimeout(() => {
        const error = new SubgraphTimeoutError(this.timeoutMs);
        finish(error);
        req.destroy(error);
      }, this.timeoutMs);
      req.on("error", (error) => finish(error));
      req.end(payload);
    });
  }

  /** Closes the kept-alive sockets (the gateway is stopping). */
  close(): void {
    this.agent.destroy();
  }
}
