import { SignJWT } from "jose";
import { callerFromHeaders } from "../../gateway/src/identity";
import { VerifiedTokenCache } from "../../gateway/src/token-cache";
import { issueAccessToken } from "../../shared/src/auth/tokens";

const SECRET = "token-cache-test-secret-at-least-32-bytes";
const CLAIMS = { sub: "clerk-07", dept: "health" as const, scope: "read:births", region: "522328" };

const headers = (token: string) => ({ get: (name: string) => (name === "authorization" ? `Bearer ${token}` : name === "x-purpose" ? "case 1" : undefined) });

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
}

describe("the gateway's cache of verified tokens", () => {
  it("answers a token verified before with its claims, and only that exact token", async () => {
    const cache = new VerifiedTokenCache();
    const token = await issueAccessToken(CLAIMS, SECRET, "5m");
    const caller = await callerFromHeaders(headers(token), SECRET, "identity-secret", null, cache);
    expect(caller).toMatchObject({ sub: "clerk-07", dept: "health", scopes: ["read:births"], region: "522328", purpose: "case 1" });
    expect(cache.get(token)).toEqual({ sub: "clerk-07", dept: "health", scope: "read:births", region: "522328", personId: undefined });
    // The same claims with another signature (here: another key) are not the remembered token, and are refused.
    const forged = await issueAccessToken(CLAIMS, "another-secret-also-at-least-32-bytes!!", "5m");
    expect(cache.get(forged)).toBeUndefined();
    expect(await codeOf(callerFromHeaders(headers(forged), SECRET, "identity-secret", null, cache))).toBe("UNAUTHENTICATED");
    expect(cache.get(forged)).toBeUndefined();
    // A remembered token with one character changed is verified afresh, and refused.
    const tampered = token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA");
    expect(await codeOf(callerFromHeaders(headers(tampered), SECRET, "identity-secret", null, cache))).toBe("UNAUTHENTICATED");
    expect(cache.size).toBe(1);
  });

  it("forgets a token at its expiry, after which it is refused as expired", async () => {
    const cache = new VerifiedTokenCache();
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({ dept: "health", scope: "read:births", region: "522328" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject("clerk-07")
      .setIssuer("pis-platform")
      .setAudience("pis-gateway")
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(SECRET));
    await callerFromHeaders(headers(token), SECRET, "identity-secret", null, cache);
    expect(cache.get(token, exp * 1000 - 1)).toBeDefined();
    expect(cache.get(token, exp * 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never remembers a token that fails verification", async () => {
    const cache = new VerifiedTokenCache();
    const expired = await issueAccessToken(CLAIMS, SECRET, "-1m");
    expect(await codeOf(callerFromHeaders(headers(expired), SECRET, "identity-secret", null, cache))).toBe("UNAUTHENTICATED");
    expect(cache.size).toBe(0);
  });
});
