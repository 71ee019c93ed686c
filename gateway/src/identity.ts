import { randomUUID } from "node:crypto";
import type { Caller } from "../../shared/src/auth/caller";
import { verifyAccessToken, type AccessTokenPublicKeys } from "../../shared/src/auth/tokens";
import { unauthenticated } from "../../shared/src/errors";
import { IDENTITY_HEADER, verifyIdentity } from "../../shared/src/auth/identity-header";
import type { VerifiedTokenCache } from "./token-cache";

export interface RequestHeaders {
  get(name: string): string | undefined;
}

/** Longest purpose we record: a case number or a short reason, not a document. */
const MAX_PURPOSE_LENGTH = 200;

/**
 * Verifies the caller's bearer token (refused with 401 before any planning when missing, expired, wrongly
 * signed or unsigned) and reads the purpose (X-Purpose, X-Road's "issue": the case the query serves).
 * With `verified`, a token verified before is taken from it until it expires (./token-cache.ts).
 */
export async function callerFromHeaders(
  headers: RequestHeaders,
  jwtSecret: string,
  identitySigningSecret: string,
  jwtPublicKeys?: AccessTokenPublicKeys | null,
  verified?: VerifiedTokenCache,
): Promise<Caller> {
  // A department's service calling the graph (shared/src/platform-client.ts) signs its identity instead.
  const signedIdentity = headers.get(IDENTITY_HEADER);
  if (signedIdentity) {
    const caller = verifyIdentity(signedIdentity, identitySigningSecret);
    if (!caller.sub.startsWith("service:")) throw unauthenticated("only services may sign their own identity");
    return caller;
  }
  const authorization = headers.get("authorization");
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) throw unauthenticated("an Authorization: Bearer token is required");
  const token = match[1];
  let claims = verified?.get(token);
  if (!claims) {
    claims = await verifyAccessToken(token, jwtSecret, jwtPublicKeys);
    verified?.set(token, claims);
  }
  const purpose = headers.get("x-purpose")?.trim().slice(0, MAX_PURPOSE_LENGTH) || null;
  return {
    sub: claims.sub,
    dept: claims.dept,
    scopes: claims.scope.split(/\s+/).filter(Boolean),
    region: claims.region,
    purpose,
    personId: claims.personId,
    requestId: headers.get("x-request-id")?.slice(0, 64) || randomUUID(),
  };
}
