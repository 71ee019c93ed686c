import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import { TokenBucket } from "limiter";
import type { Caller } from "../../shared/src/auth/caller";
import { sendError } from "../../shared/src/http";
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

/**
 * Integration partners (schools, SMS platforms, other counties) may only run safelisted operations, each
 * partner within its own request rate (token bucket per token subject; 429 with Retry-After beyond it).
 * The gate returns the body to run (a partner's with the registered text), or `null` when it has answered a
 * refusal itself. Other callers' bodies pass through untouched.
 */
export function partnerGate(operations: Map<string, PersistedOperation>, limits: PartnerLimits) {
  const buckets = new Map<string, TokenBucket>();
  return (caller: Caller, requestBody: unknown, res: ServerResponse): unknown => {
    if (caller.dept !== "partner") return requestBody;

    let bucket = buckets.get(caller.sub);
    if (!bucket) {
      bucket = new TokenBucket({ bucketSize: limits.burst, tokensPerInterval: limits.perSecond, interval: "second" });
      bucket.content = limits.burst; // a new partner starts with a full burst (the library starts empty)
      buckets.set(caller.sub, bucket);
    }
    if (!bucket.tryRemoveTokens(1)) {
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil(bucket.getWaitTime(1) / 1000))));
      sendError(res, 429, "RATE_LIMITED", "请求过于频繁 (too many requests: slow down)");
      return null;
    }

    const body = (requestBody ?? {}) as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const hash = typeof body.extensions?.persistedQuery?.sha256Hash === "string" ? body.extensions.persistedQuery.sha256Hash : typeof body.query === "string" ? sha256(body.query) : null;
    const operation = hash ? operations.get(hash) : undefined;
    if (!operation || (typeof body.query === "string" && sha256(body.query) !== hash)) {
      sendError(res, 403, "PERSISTED_QUERY_NOT_ALLOWED", "合作方只能调用已登记的操作 (partners may only run registered operations)");
      return null;
    }
    // Run the registered text; Apollo's own automatic persisted queries are not involved.
    const { extensions: _persisted, ...rest } = body;
    return { ...rest, query: operation.query };
  };
}
