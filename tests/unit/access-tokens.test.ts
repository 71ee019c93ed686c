import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type KeyLike } from "jose";
import { accessTokenPublicKeysFromEnv, issueAccessToken, verifyAccessToken } from "../../shared/src/auth/tokens";

const CLAIMS = { dept: "health", scope: "read:births", region: "522328" };

function sign(key: KeyLike | Uint8Array, alg: string, kid?: string, claims: Record<string, unknown> = CLAIMS) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: "JWT", ...(kid ? { kid } : {}) })
    .setSubject("clerk-07")
    .setIssuer("pis-platform")
    .setAudience("pis-gateway")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
}

describe("access tokens", () => {
  const folder = mkdtempSync(join(tmpdir(), "pis-keys-"));
  let rsa: { publicKey: KeyLike; privateKey: KeyLike };
  let other: { publicKey: KeyLike; privateKey: KeyLike };
  let pemFile: string;
  let jwksFile: string;

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256");
    other = await generateKeyPair("RS256");
    pemFile = join(folder, "idp.pem");
    writeFileSync(pemFile, await exportSPKI(rsa.publicKey));
    jwksFile = join(folder, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "idp-2026", alg: "RS256", use: "sig" }] }));
  });

  it("verifies HS256 tokens with the shared secret when no public key is configured", async () => {
    const secret = "a-secret-of-at-least-thirty-two-bytes!";
    const claims = await verifyAccessToken(await issueAccessToken({ sub: "clerk-07", ...CLAIMS } as never, secret), secret, null);
    expect(claims).toMatchObject({ sub: "clerk-07", dept: "health", region: "522328" });
    expect(await codeOf(verifyAccessToken(await sign(await generateKeyPair("RS256").then((k) => k.privateKey), "RS256"), secret, null))).toBe("UNAUTHENTICATED");
  });

  it("verifies tokens signed by the identity provider's PEM public key, and refuses others", async () => {
    const keys = await accessTokenPublicKeysFromEnv({ JWT_PUBLIC_KEY_FILE: pemFile });
    expect(keys).not.toBeNull();
    expect(await verifyAccessToken(await sign(rsa.privateKey, "RS256"), "", keys)).toMatchObject({ sub: "clerk-07", dept: "health" });
    expect(await codeOf(verifyAccessToken(await sign(other.privateKey, "RS256"), "", keys))).toBe("UNAUTHENTICATED");
  });

  it("looks keys up by kid in a JWKS file", async () => {
    const keys = await accessTokenPublicKeysFromEnv({ JWT_JWKS_FILE: jwksFile });
    expect(await verifyAccessToken(await sign(rsa.privateKey, "RS256", "idp-2026"), "", keys)).toMatchObject({ sub: "clerk-07" });
    expect(await codeOf(verifyAccessToken(await sign(other.privateKey, "RS256", "unknown-kid"), "", keys))).toBe("UNAUTHENTICATED");
  });

  it("refuses HS256 tokens once public keys are configured (no algorithm confusion), and alg none always", async () => {
    const keys = await accessTokenPublicKeysFromEnv({ JWT_PUBLIC_KEY_FILE: pemFile });
    const pem = await exportSPKI(rsa.publicKey);
    // An attacker signs with the public key's text as an HMAC secret.
    expect(await codeOf(verifyAccessToken(await sign(new TextEncoder().encode(pem), "HS256"), pem, keys))).toBe("UNAUTHENTICATED");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ ...CLAIMS, sub: "x", iss: "pis-platform", aud: "pis-gateway", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
    expect(await codeOf(verifyAccessToken(`${header}.${payload}.`, "", keys))).toBe("UNAUTHENTICATED");
    expect(await codeOf(verifyAccessToken(`${header}.${payload}.`, "any-secret", null))).toBe("UNAUTHENTICATED");
  });

  it("refuses a misconfigured key source at start", async () => {
    await expect(accessTokenPublicKeysFromEnv({ JWT_PUBLIC_KEY_FILE: pemFile, JWT_PUBLIC_KEY_ALG: "HS256" })).rejects.toThrow(/JWT_PUBLIC_KEY_ALG/);
    const empty = join(folder, "empty.json");
    writeFileSync(empty, JSON.stringify({ keys: [] }));
    await expect(accessTokenPublicKeysFromEnv({ JWT_JWKS_FILE: empty })).rejects.toThrow(/no keys/);
    expect(await accessTokenPublicKeysFromEnv({})).toBeNull();
  });
});
