import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (rejects 2001-02-29). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !isCalendarDate(value)) {
    throw new GraphQLError(`日期格式须为 YYYY-MM-DD 的真实日期 (Date must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(value)})`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return value;
}

/**
 * Calendar dates travel and are stored as `YYYY-MM-DD` strings: a birth date has no time zone, and a
 * JavaScript Date would shift it by the server's offset.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "ISO 8601 calendar date, e.g. 2015-02-11",
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError("Date must be a string YYYY-MM-DD", { extensions: { code: "BAD_USER_INPUT" } });
    return parseDate(ast.value);
  },
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value as string)) {
    throw new GraphQLError(`DateTime must be an ISO 8601 instant, got ${JSON.stringify(value)}`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "ISO 8601 instant with offset, e.g. 2024-05-01T08:30:00.000Z",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError("DateTime must be a string", { extensions: { code: "BAD_USER_INPUT" } });
    return parseDateTime(ast.value);
  },
});

/** Today's date (UTC+8, the platform's legal time zone) as YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
