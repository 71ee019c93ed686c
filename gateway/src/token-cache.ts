import { decodeJwt } from "jose";
import type { AccessClaims } from "../../shared/src/auth/tokens";

/** Tokens remembered at most (a clerk's token is reused for hours; 10,000 entries are a few MB). */
const MAX_TOKENS = 10_000;

/**
 * Bearer tokens this gateway has already verified, with their claims, until they expire. A clerk's client
 * sends the same token on every request; verifying it again (jose: parse, HMAC or signature, claims) is a
 * measurable share of the gateway's CPU for a small request. The key is the whole token text, so a token
 * that differs in any byte (another signature, claims or header) is verified afresh; the verification keys
 * are fixed for the gateway's lifetime, so a remembered result is what verifying again would give, until
 * `exp`, which is checked on every use. Tokens that fail are never remembered.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  get(token: string, now: number = Date.now()): AccessClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now >= entry.expiresAtMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a token that has just been verified. */
  set(token: string, claims: AccessClaims): void {
    // jose accepts a token without `exp` (it never expires): remember it, like any other, until evicted.
    const exp = decodeJwt(token).exp;
    const expiresAtMs = typeof exp === "number" ? exp * 1000 : Number.POSITIVE_INFINITY;
    if (this.entries.size >= MAX_TOKENS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
