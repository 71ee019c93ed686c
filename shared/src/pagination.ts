import { badUserInput } from "./errors";

/** Largest page a caller may ask for; larger pages are refused rather than silently cut. */
export const MAX_PAGE_SIZE = 200;

export function checkPageSize(first: number | null | undefined, field = "first"): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(field, `每页数量须在 0 到 ${MAX_PAGE_SIZE} 之间`, `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** Cursors are opaque to clients: base64url of the sort key of the last row, prefixed with the list's kind. */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, "utf8").toString("base64url");
}

export function decodeCursor(kind: string, cursor: string | null | undefined, field = "after"): string | null {
  if (cursor === null || cursor === undefined || cursor === "") return null;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  if (!decoded.startsWith(`${kind}:`)) throw badUserInput(field, "游标无效", "is not a cursor of this list");
  return decoded.slice(kind.length + 1);
}
