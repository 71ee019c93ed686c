import { createHmac } from "node:crypto";
import { secret } from "./config";

/**
 * The pseudonymous `Person.id` (DESIGN.md, "Keys and privacy"): HMAC-SHA256 of the normalised 18-digit ID
 * number under the platform secret, first 16 bytes, lowercase hex (32 characters). Every department computes
 * the same value from the numbers it already stores, so entities join across subgraphs without the raw
 * number travelling as a key, and without the key being guessable from a birth date and a county code.
 * Hex rather than base64: MySQL's default collations compare case-insensitively, which would make two
 * base64 keys differing only in case collide.
 */
export function personIdFor(normalizedIdNumber: string, key: string = secret("PERSON_KEY_SECRET")): string {
  return createHmac("sha256", key).update(normalizedIdNumber, "utf8").digest().subarray(0, 16).toString("hex");
}

export const PERSON_ID_PATTERN = /^[0-9a-f]{32}$/;
