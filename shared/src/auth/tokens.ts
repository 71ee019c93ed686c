import { readFileSync } from "node:fs";
import { SignJWT, createLocalJWKSet, importSPKI, jwtVerify, errors as joseErrors, type JWK, type JWTVerifyGetKey } from "jose";
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

/** Asymmetric algorithms a deployment's identity provider may sign with. Never HS*: see accessTokenPublicKeys. */
export const ASYMMETRIC_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"] as const;

/**
 * Public keys of a deployment's identity provider: a JWKS (its `keys` looked up by `kid`) or one PEM public
 * key. When configured, only these asymmetric algorithms verify: an HS256 token (for instance one signed with
 * the public key's text as an HMAC secret, the classic algorithm-confusion attack) is refused.
 */
export interface AccessTokenPublicKeys {
  getKey: JWTVerifyGetKey;
  algorithms: string[];
  source: string;
}

/**
 * Reads the verification keys from the environment: `JWT_JWKS_FILE` (a JSON Web Key Set file) or
 * `JWT_PUBLIC_KEY_FILE` (a PEM SPKI public key, algorithm `JWT_PUBLIC_KEY_ALG`, default RS256). Neither set:
 * null, and tokens are HS256 with JWT_SECRET (the embedded default).
 */
export async function accessTokenPublicKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AccessTokenPublicKeys | null> {
  if (env.JWT_JWKS_FILE) {
    const jwks = JSON.parse(readFileSync(env.JWT_JWKS_FILE, "utf8")) as { keys?: JWK[] };
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error(`JWT_JWKS_FILE ${env.JWT_JWKS_FILE} holds no keys`);
    const keySet = createLocalJWKSet({ keys: jwks.keys });
    return { getKey: keySet, algorithms: [...ASYMMETRIC_ALGORITHMS], source: `JWKS ${env.JWT_JWKS_FILE}` };
  }
  if (env.JWT_PUBLIC_KEY_FILE) {
    const algorithm = env.JWT_PUBLIC_KEY_ALG ?? "RS256";
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(`JWT_PUBLIC_KEY_ALG must be one of ${ASYMMETRIC_ALGORITHMS.join(", ")}`);
    }
    const key = await importSPKI(readFileSync(env.JWT_PUBLIC_KEY_FILE, "utf8"), algorithm);
    return { getKey: async () => key, algorithms: [algorithm], source: `public key ${env.JWT_PUBLIC_KEY_FILE} (${algorithm})` };
  }
  return null;
}

/**
 * Verifies a bearer token: HS256 with the shared secret, or, when the deployment configured its identity
 * provider's public keys, only those keys' asymmetric algorithms. jose refuses `alg: none` and any algorithm
 * not listed; issuer, audience and expiry are checked.
 */
export async function verifyAccessToken(token: string, secret: string, publicKeys?: AccessTokenPublicKeys | null): Promise<AccessClaims> {
  try {
    const options = { issuer: ISSUER, audience: AUDIENCE };
    const { payload } = publicKeys
      ? await jwtVerify(token, publicKeys.getKey, { ...options, algorithms: publicKeys.algorithms })
      : await jwtVerify(token, keyBytes(secret), { ...options, algorithms: ["HS256"] });
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
