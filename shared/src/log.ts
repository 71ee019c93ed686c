import { maskIdNumber } from "./id-number";

/**
 * What the services print about an error. Logs are read by operators who are not entitled to citizens' data,
 * so a line is one line (no stack trace), every ID number in it is masked, and a database driver's error is
 * named by its code only (ER_DUP_ENTRY, ER_NO_SUCH_TABLE, SQLITE_CONSTRAINT_UNIQUE; a socket's ECONNREFUSED): drivers
 * quote the statement and the values that failed ("Duplicate entry '5223…' for key …", typeorm's
 * QueryFailedError carries the SQL and its parameters), and the code is what tells an operator what happened.
 * No typeorm import: the gateway uses this too and does not load typeorm.
 */

// 18-character (17 digits + digit or X) and 15-digit citizen ID numbers, not inside longer digit runs.
const ID_NUMBER = /(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])/g;

/** Masks every ID number in a text that leaves a service (an error message, a log line). */
export function scrubIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (number) => maskIdNumber(number));
}

/** A text as a log line: its first line only (no stack trace), ID numbers masked. */
export function logLine(text: string): string {
  return scrubIdNumbers(text.split("\n")[0]);
}

// A socket error's message names the address it failed on; its code and system call say enough.
const NETWORK_SYSCALLS = new Set(["connect", "getaddrinfo", "read", "write", "writev"]);

/**
 * mysql2's and better-sqlite3's errors (also when typeorm wraps one as `driverError`) by their code, and
 * socket errors by code and system call; null for any other error.
 */
function codeOnly(error: unknown): string | null {
  if (!error || typeof error !== "object") return null;
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const { code, errno, sqlMessage, sql, syscall } = candidate as Record<string, unknown>;
  if (typeof code !== "string") return null;
  if (sqlMessage !== undefined || sql !== undefined || /^(ER_|SQLITE_|PROTOCOL_)/.test(code)) {
    return `database error ${code}${typeof errno === "number" && errno > 0 ? ` (${errno})` : ""}`;
  }
  if (typeof syscall === "string" && NETWORK_SYSCALLS.has(syscall)) return `network error ${code} (${syscall})`;
  return null;
}

/** One line describing an error: a driver's or a socket's by its code, anything else by its first line, ID numbers masked. */
export function describeError(error: unknown): string {
  const inner = (error as { originalError?: unknown } | null)?.originalError ?? error;
  const coded = codeOnly(inner);
  if (coded) return coded;
  const text = inner instanceof Error ? inner.message : typeof inner === "string" ? inner : JSON.stringify(inner) ?? String(inner);
  return logLine(text);
}

/** Prints `[service] message: the error` to stderr as one scrubbed line. */
export function logError(service: string, message: string, error?: unknown): void {
  const detail = error === undefined ? "" : `: ${describeError(error)}`;
  console.error(logLine(`[${service}] ${message}${detail}`));
}

/** Apollo Server's logger for a service: the same one-line scrubbing for what the library prints. */
export function serviceLogger(service: string) {
  const line = (args: unknown[]) => logLine(`[${service}] ${args.map((a) => (typeof a === "string" ? a : describeError(a))).join(" ")}`);
  return {
    // Apollo's own level is warn: nothing below it is printed.
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => console.warn(line(args)),
    error: (...args: unknown[]) => console.error(line(args)),
  };
}
