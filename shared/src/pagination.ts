import type { Caller } from "./auth/caller";
import { badUserInput } from "./errors";

/** Largest page a person may ask for; larger pages are refused rather than silently cut. */
export const MAX_PAGE_SIZE = 200;

/**
 * Largest page a department's own service may ask for when a report reads another department through the
 * graph (shared/src/platform-client.ts). Reports walk whole counties: with person-sized pages a 330,000-person
 * county would cost thousands of round trips, so services page in thousands and the number of subgraph
 * requests stays bounded by departments × pages. Only a signed service identity gets it (a token cannot).
 */
export const SERVICE_MAX_PAGE_SIZE = 5000;

/**
 * Largest page of a feed of ids only (no personal field): ids are small, and a whole county in pages of
 * SERVICE_MAX_PAGE_SIZE would cost dozens of round trips through the gateway for a few megabytes.
 */
export const SERVICE_MAX_ID_PAGE_SIZE = 50_000;

export function isServiceCaller(caller: Pick<Caller, "sub"> | null | undefined): boolean {
  return !!caller && caller.sub.startsWith("service:");
}

export function checkPageSize(first: number | null | undefined, field = "first", caller?: Pick<Caller, "sub"> | null): number {
  const size = first ?? 20;
  const max = isServiceCaller(caller) ? SERVICE_MAX_PAGE_SIZE : MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badUserInput(field, `每页数量须在 0 到 ${max} 之间`, `must be between 0 and ${max}`);
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

/** The feeds that return ids only, and so may page by SERVICE_MAX_ID_PAGE_SIZE (the gateway checks `first` by this list). */
export const ID_FEED_FIELDS: ReadonlySet<string> = new Set(["hukouPersonIds"]);

/** The page size of a feed of ids only (service callers only reach feeds): up to SERVICE_MAX_ID_PAGE_SIZE. */
export function checkIdPageSize(first: number | null | undefined, field = "first"): number {
  const size = first ?? SERVICE_MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > SERVICE_MAX_ID_PAGE_SIZE) {
    throw badUserInput(field, `每页数量须在 0 到 ${SERVICE_MAX_ID_PAGE_SIZE} 之间`, `must be between 0 and ${SERVICE_MAX_ID_PAGE_SIZE}`);
  }
  return size;
}
