/**
 * Serving Apollo Server on node:http, for the gateway and the subgraphs alike: a route table for the few GET
 * endpoints, the JSON request body read within REQUEST_BODY_LIMIT_BYTES, and Apollo's own
 * `executeHTTPGraphQLRequest` (the entry point Apollo documents for integrations).
 *
 * Why not express with `@as-integrations/express5`, as before: the framework's router, body-parser and the
 * integration's copying cost about 0.15–0.25 ms of CPU per request on these machines, a fifth to a third of
 * our gateway's whole work for a lookup (docs/performance.md, "Without express"), for four routes. What they
 * did that matters is kept here and checked by tests/e2e/bad-input.test.ts: bodies parsed only when declared
 * `application/json`, UTF-8 only, gzip/deflate/br bodies inflated within the same limit, `{}` for an empty
 * body, only an object or an array at the top, and every refusal a JSON answer, never an HTML page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Readable, Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { REQUEST_BODY_LIMIT_BYTES, sendError, type GracefulShutdown } from "./http";
import { logError } from "./log";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A request whose body cannot be taken: answered with `status` and `code`, nothing else is run. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NOT_JSON = "请求体不是有效的 JSON (request body is not valid JSON)";

/** A header as one string (node gives repeated headers as an array for a few names). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  return oneString(req.headers[name]);
}

function oneString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A request URL's path and its query string (with its "?", or ""). */
function pathAndSearch(url = "/"): { path: string; search: string } {
  const query = url.indexOf("?");
  return query < 0 ? { path: url, search: "" } : { path: url.slice(0, query), search: url.slice(query) };
}

/** The decoder a body's Content-Encoding asks for, `null` for none. */
function decoderFor(req: IncomingMessage): Transform | null {
  const encoding = (headerValue(req, "content-encoding") ?? "identity").trim().toLowerCase();
  const decoder =
    encoding === "identity" ? null
    : encoding === "gzip" || encoding === "x-gzip" ? createGunzip()
    : encoding === "deflate" ? createInflate()
    : encoding === "br" ? createBrotliDecompress()
    : undefined;
  if (decoder === undefined) throw new RequestBodyError(415, "BAD_REQUEST", `不支持的内容编码 ${encoding} (content encoding ${encoding} is not supported)`);
  return decoder;
}

/** Reads the rest of a refused request so that its answer reaches the client (which is still sending), then settles. */
function discardRest(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded || req.destroyed) return resolve();
    req.on("end", resolve).on("error", () => resolve()).on("close", resolve);
    req.unpipe();
    req.resume();
  });
}

/**
 * The JSON body of a request, or `undefined` when it declares another content type (Apollo then refuses the
 * request itself: CSRF prevention, or "POST body missing, invalid Content-Type"). Throws RequestBodyError
 * after reading the rest of the request off the socket: 413 beyond `limit` bytes (decoded), 415 for
 * another charset or an unknown content encoding, 400 for what is not a JSON object or array.
 */
export async function readJsonBody(req: IncomingMessage, limit = REQUEST_BODY_LIMIT_BYTES): Promise<unknown> {
  const contentType = headerValue(req, "content-type");
  if (!contentType) return undefined;
  const [mediaType, ...parameters] = contentType.split(";");
  if (mediaType.trim().toLowerCase() !== "application/json") return undefined;
  // A body is there only when announced (as for body-parser): a POST without one goes to Apollo as such.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return undefined;
  try {
    const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/^"|"$/g, "");
    if (charset && charset !== "utf-8" && charset !== "utf8") {
      throw new RequestBodyError(415, "BAD_REQUEST", `请求体的字符集须为 UTF-8 (unsupported charset ${charset.toUpperCase()}: send utf-8)`);
    }
    const declared = Number(req.headers["content-length"]);
    if (req.headers["content-encoding"] === undefined && declared > limit) throw tooLarge();
    const text = await readText(req, decoderFor(req), limit);
    const start = text.search(/\S/);
    if (start < 0) return {}; // an empty body, a common client mistake, is an empty request (Apollo answers 400)
    if (text[start] !== "{" && text[start] !== "[") throw new RequestBodyError(400, "BAD_REQUEST", NOT_JSON);
    try {
      return JSON.parse(text);
    } catch {
      throw new RequestBodyError(400, "BAD_REQUEST", NOT_JSON);
    }
  } catch (error) {
    await discardRest(req);
    if (error instanceof RequestBodyError) throw error;
    throw new RequestBodyError(400, "BAD_REQUEST", "请求体无法读取 (the request body could not be read)");
  }
}

function tooLarge(): RequestBodyError {
  return new RequestBodyError(413, "PAYLOAD_TOO_LARGE", "请求体过大 (request body too large)");
}

/** The decoded body as text; past `limit` decoded bytes, a decoder is dropped and the rest of `req` left to discardRest. */
function readText(req: IncomingMessage, decoder: Transform | null, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream: Readable = decoder ? req.pipe(decoder) : req;
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      reject(error);
    };
    stream.on("data", (chunk: Buffer) => {
      if (settled) return;
      length += chunk.length;
      if (length > limit) return fail(tooLarge());
      chunks.push(chunk);
    });
    stream.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, length).toString("utf8"));
    });
    stream.on("error", fail);
    req.on("close", () => {
      if (!req.readableEnded) fail(new Error("the client closed the request"));
    });
  });
}

/** Runs one GraphQL request through Apollo Server and writes its answer. */
export async function runGraphQL<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<Context>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, oneString(value)!);
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: pathAndSearch(req.url).search, body },
    context,
  });
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === "complete") {
    res.setHeader("content-length", Buffer.byteLength(answer.body.string));
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

export interface HttpRoutes {
  /** The GraphQL endpoint, at `/graphql`, for every method (Apollo answers 405 for those it does not serve). */
  graphql: Handler;
  /** Other endpoints by path, answering GET (and HEAD, whose body node leaves out). */
  get: Record<string, Handler>;
}

/**
 * The service's HTTP server: requests pass `shutdown` first (503 once it drains), then go to their route;
 * an unknown path answers 404 and a thrown error 500, both as JSON.
 */
export function createHttpServer(serviceName: string, shutdown: GracefulShutdown, routes: HttpRoutes): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!shutdown.admit(res)) return;
    const { path } = pathAndSearch(req.url);
    if (path === "/graphql" || path === "/graphql/") return routes.graphql(req, res);
    const route = routes.get[path];
    if (!route) return sendError(res, 404, "NOT_FOUND", `没有这个地址 (no endpoint at ${path.slice(0, 100)})`);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return sendError(res, 405, "METHOD_NOT_ALLOWED", `${path} 只接受 GET (${path} answers GET only)`);
    }
    return route(req, res);
  };
  return createServer((req, res) => {
    handle(req, res).catch((error) => {
      logError(serviceName, "request failed", error);
      if (!res.headersSent) sendError(res, 500, "INTERNAL_SERVER_ERROR", "内部错误 (internal server error)");
      else res.destroy();
    });
  });
}

/** The GraphQL route's start: the body read (or a refusal answered), `undefined` meaning "answered". */
export async function bodyOrRefusal(req: IncomingMessage, res: ServerResponse): Promise<{ body: unknown } | undefined> {
  try {
    return { body: await readJsonBody(req) };
  } catch (error) {
    if (!(error instanceof RequestBodyError)) throw error;
    sendError(res, error.status, error.code, error.message);
    return undefined;
  }
}
