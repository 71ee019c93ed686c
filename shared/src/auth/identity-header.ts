import { createHmac, timingSafeEqual } from "node:crypto";
import { unauthenticated } from "../errors";
import { isCallerDepartment, type Caller } from "./caller";

/**
 * The gateway forwards the verified caller to subgraphs in this header, signed with HMAC-SHA256 under a
 * secret only the gateway and the subgraphs hold (X-Road: every message is signed by the sender).
 * Subgraphs refuse calls without a valid, fresh signature, so calling a subgraph directly or forging the
 * identity gets nothing.
 */
export const IDENTITY_HEADER = "x-pis-identity";

/** Signatures older than this are refused, which bounds replay of a captured header. */
const MAX_AGE_MS = 5 * 60_000;

interface SignedPayload extends Caller {
  iat: number;
}

export function signIdentity(caller: Caller, key: string, now: number = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...caller, iat: now } satisfies SignedPayload), "utf8").toString("base64url");
  return `${payload}.${mac(payload, key)}`;
}

export function verifyIdentity(header: string | undefined, key: string, now: number = Date.now()): Caller {
  if (!header) throw unauthenticated("calls must come through the gateway");
  const [payload, signature, extra] = header.split(".");
  if (!payload || !signature || extra !== undefined) throw unauthenticated("malformed identity");
  const expected = Buffer.from(mac(payload, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw unauthenticated("identity signature invalid");
  let parsed: SignedPayload;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw unauthenticated("malformed identity");
  }
  if (typeof parsed.iat !== "number" || Math.abs(now - parsed.iat) > MAX_AGE_MS) throw unauthenticated("identity expired");
  if (!isCompleteCaller(parsed)) throw unauthenticated("identity incomplete");
  const { iat: _iat, ...caller } = parsed;
  return caller;
}

/**
 * Every field a subgraph relies on, with its type: a signed payload missing one (a client built against an
 * older gateway, a hand-made header) would otherwise pass here and fail deep inside authorization or the
 * access log, where it would be reported as the log being unavailable.
 */
function isCompleteCaller(payload: SignedPayload): boolean {
  return (
    isCallerDepartment(payload.dept) &&
    typeof payload.sub === "string" &&
    payload.sub !== "" &&
    Array.isArray(payload.scopes) &&
    payload.scopes.every((scope) => typeof scope === "string") &&
    typeof payload.region === "string" &&
    (payload.purpose === null || typeof payload.purpose === "string") &&
    typeof payload.requestId === "string" &&
    payload.requestId !== "" &&
    (payload.personId === undefined || typeof payload.personId === "string")
  );
}

function mac(payload: string, key: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}
