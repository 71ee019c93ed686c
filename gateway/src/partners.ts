import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NextFunction, Request, Response } from "express";
import { TokenBucket } from "limiter";
import type { Caller } from "../../shared/src/auth/caller";
import { repositoryRoot } from "../../shared/src/paths";

export interface PersistedOperation {
  name: string;
  purpose: string;
  query: string;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The safelist of partner operations (gateway/persisted-operations.json), keyed by the sha256 of the text. */
export function loadPersistedOperations(path = join(repositoryRoot(), "gateway", "persisted-operations.json")): Map<string, PersistedOperation> {
  const file = JSON.parse(readFileSync(path, "utf8")) as { operations: PersistedOperation[] };
  return new Map(file.operations.map((operation) => [sha256(operation.query), operation]));
}

export interface PartnerLimits {
  /** Requests a partner may send in a burst. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

function refuse(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Integration partners (schools, SMS platforms, other counties) may only run safelisted operations, each
 * partner within its own request rate (token bucket per token subject; 429 with Retry-After beyond it).
 * Other callers pass through untouched.
 */
export function partnerGate(operations: Map<string, PersistedOperation>, limits: PartnerLimits) {
  const buckets = new Map<string, TokenBucket>();
  return (req: Request & { caller?: Caller }, res: Response, next: NextFunction) => {
    const caller = req.caller;
    if (!caller || caller.dept !== "partner") return next();

    let bucket = buckets.get(caller.sub);
    if (!bucket) {
      bucket = new TokenBucket({ bucketSize: limits.burst, tokensPerInterval: limits.perSecond, interval: "second" });
      bucket.content = limits.burst; // a new partner starts with a full burst (the library starts empty)
      buckets.set(caller.sub, bucket);
    }
    if (!bucket.tryRemoveTokens(1)) {
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil(bucket.getWaitTime(1) / 1000))));
      return refuse(res, 429, "RATE_LIMITED", "请求过于频繁 (too many requests: slow down)");
    }

    const body = (req.body ?? {}) as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const hash = typeof body.extensions?.persistedQuery?.sha256Hash === "string" ? body.extensions.persistedQuery.sha256Hash : typeof body.query === "string" ? sha256(body.query) : null;
    const operation = hash ? operations.get(hash) : undefined;
    if (!operation || (typeof body.query === "string" && sha256(body.query) !== hash)) {
      return refuse(res, 403, "PERSISTED_QUERY_NOT_ALLOWED", "合作方只能调用已登记的操作 (partners may only run registered operations)");
    }
    // Run the registered text; Apollo's own automatic persisted queries are not involved.
    const { extensions: _persisted, ...rest } = body;
    req.body = { ...rest, query: operation.query };
    next();
  };
}
