import { GraphQLError } from "graphql";
import { logError } from "./log";

/**
 * Stable error codes. Clients branch on `extensions.code`, never on messages, so these names are part of
 * the public contract. Messages are bilingual (Chinese first) because the clerks read them.
 */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  PURPOSE_REQUIRED: "PURPOSE_REQUIRED",
  VERSION_CONFLICT: "VERSION_CONFLICT",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  SUBGRAPH_UNAVAILABLE: "SUBGRAPH_UNAVAILABLE",
  DATABASE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
  // What a caller may send to the gateway (gateway/src/limits.ts): refused with 400 before any department is called.
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  BATCHING_NOT_SUPPORTED: "BATCHING_NOT_SUPPORTED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A rejected argument or input field: names the path (e.g. `input.motherIdNumber`) and why, in both languages. */
export function badUserInput(field: string, messageZh: string, messageEn: string): GraphQLError {
  return new GraphQLError(`${field}: ${messageZh} (${messageEn})`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field },
  });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`未找到${what} (${what} not found)`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`身份验证失败 (unauthenticated: ${reason})`, {
    extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
  });
}

export function forbidden(what: string): GraphQLError {
  return new GraphQLError(`无权访问 (access to ${what} is not granted)`, { extensions: { code: ErrorCode.FORBIDDEN } });
}

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));
// Codes graphql-js and Apollo Server assign themselves to malformed documents: safe to pass through.
const VALIDATION_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** True when the error was raised on purpose for the caller, as opposed to a driver or programming error. */
export function isPublicCode(code: unknown): boolean {
  return typeof code === "string" && (PUBLIC_CODES.has(code) || VALIDATION_CODES.has(code));
}

/**
 * Apollo Server `formatError` for every service: intended errors pass with their code; anything else
 * (SQL, driver messages, stack traces) is replaced by a generic message and logged server-side only.
 */
export function formatErrorForClients(
  formatted: { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[]; locations?: readonly unknown[] },
  original: unknown,
  log: (message: string, error: unknown) => void = defaultLog,
) {
  const code = formatted.extensions?.code;
  const databaseDown = isDatabaseUnavailable(original);
  if (isPublicCode(code)) {
    const { stacktrace: _dropped, exception: _dropped2, ...extensions } = formatted.extensions ?? {};
    if (code === ErrorCode.BAD_USER_INPUT && extensions.field === undefined) {
      const field = coercedVariablePath(formatted.message);
      if (field) extensions.field = field;
    }
    return { ...formatted, extensions };
  }
  log("internal error", original);
  if (databaseDown) {
    return {
      message: "数据库暂时不可用 (the department's database is unavailable)",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
    };
  }
  return {
    message: "内部错误 (internal server error)",
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * A variable graphql-js could not coerce (a date that does not exist, a wrong enum value) is refused before
 * any resolver runs, with the path in its message: `Variable "$input" got invalid value "2026-02-30" at
 * "input.registeredOn"; ...`. That path is the input field a resolver's own check would have named.
 */
function coercedVariablePath(message: string): string | null {
  const match = /^Variable "\$([^"]+)" got invalid value .*?(?: at "([^"]+)")?; /s.exec(message);
  return match ? (match[2] ?? match[1]) : null;
}

function defaultLog(message: string, error: unknown) {
  logError("error", message, error);
}

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "PROTOCOL_CONNECTION_LOST",
  "ETIMEDOUT",
  "EPIPE",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  // MariaDB's answer to a query on a connection it kills while shutting down.
  "ER_CONNECTION_KILLED",
  "ECONNABORTED",
  // mysql2: a statement outlived DATABASE_QUERY_TIMEOUT_MS (the server or the route to it is frozen).
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "EHOSTUNREACH",
]);

function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
    // mysql2 marks connection-level failures fatal, e.g. "Can't add new command when connection is in closed state".
    if ((current as { fatal?: unknown }).fatal === true) return true;
    const driverError = (current as { driverError?: unknown }).driverError;
    current = driverError ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}
