import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { unauthenticated } from "../errors";
import { isCallerDepartment, type CallerDepartment } from "./caller";

export interface AccessClaims {
  sub: string;
  dept: CallerDepartment;
  scope: string;
  region: string;
  personId?: string;
}

const ISSUER = "pis-platform";
const AUDIENCE = "pis-gateway";

function keyBytes(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Issues an HS256 access token (embedded deployments, tests and `npm run token`). */
export async function issueAccessToken(claims: AccessClaims, secret: string, expiresIn = "8h"): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyBytes(secret));
}

/**
 * Verifies a bearer token. Only HS256 is accepted (jose refuses `alg: none` and any algorithm not listed),
 * with issuer, audience and expiry checked.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keyBytes(secret), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
    if (typeof payload.sub !== "string" || !payload.sub) throw unauthenticated("token has no subject");
    if (!isCallerDepartment(payload.dept)) throw unauthenticated("token names no known department");
    return {
      sub: payload.sub,
      dept: payload.dept,
      scope: typeof payload.scope === "string" ? payload.scope : "",
      region: typeof payload.region === "string" ? payload.region : "",
      personId: typeof payload.personId === "string" ? payload.personId : undefined,
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated("token expired");
    if (error instanceof joseErrors.JOSEError) throw unauthenticated("token invalid");
    throw error;
  }
}
