import { createHmac } from "node:crypto";
import { GraphQLError } from "graphql";
import type { Caller } from "../../shared/src/auth/caller";
import { signIdentity, verifyIdentity } from "../../shared/src/auth/identity-header";

const KEY = "identity-header-test-key";
const CLERK: Caller = { sub: "clerk-7", dept: "health", scopes: ["person.basic", "health.births"], region: "522328", purpose: "case 2026-118", requestId: "req-1" };

/** A header signed with the right key over any payload: what someone holding the key could send. */
function signedPayload(payload: Record<string, unknown>): string {
  const encoded = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${encoded}.${createHmac("sha256", KEY).update(encoded).digest("base64url")}`;
}

function refusal(header: string | undefined): { message: string; code: unknown } {
  try {
    verifyIdentity(header, KEY);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return { message: (error as GraphQLError).message, code: (error as GraphQLError).extensions.code };
  }
  throw new Error("the header was accepted");
}

describe("the signed identity header between gateway and departments", () => {
  it("gives back the caller the gateway signed", () => {
    expect(verifyIdentity(signIdentity(CLERK, KEY), KEY)).toEqual(CLERK);
    expect(verifyIdentity(signIdentity({ ...CLERK, purpose: null, personId: "p-1" }, KEY), KEY)).toEqual({ ...CLERK, purpose: null, personId: "p-1" });
  });

  it("refuses a missing header, another key's signature, a changed payload and an old signature", () => {
    expect(refusal(undefined)).toEqual({ message: expect.stringContaining("through the gateway"), code: "UNAUTHENTICATED" });
    expect(refusal(signIdentity(CLERK, "another-key")).message).toContain("signature invalid");
    const [, signature] = signIdentity(CLERK, KEY).split(".");
    const widened = Buffer.from(JSON.stringify({ ...CLERK, region: "", iat: Date.now() })).toString("base64url");
    expect(refusal(`${widened}.${signature}`).message).toContain("signature invalid");
    expect(refusal(signIdentity(CLERK, KEY, Date.now() - 6 * 60_000)).message).toContain("expired");
    expect(refusal("only-one-part").message).toContain("malformed");
  });

  // A correctly signed payload that lacks a field used to pass and fail later: without requestId the
  // access log's write threw, and the department answered AUDIT_UNAVAILABLE as if its log were down.
  it.each([
    ["requestId missing", { requestId: undefined }],
    ["requestId empty", { requestId: "" }],
    ["sub empty", { sub: "" }],
    ["scopes not a list", { scopes: "person.basic" }],
    ["a scope not text", { scopes: ["person.basic", 7] }],
    ["region missing", { region: undefined }],
    ["purpose a number", { purpose: 3 }],
    ["personId a number", { personId: 12 }],
    ["an unknown department", { dept: "tax" }],
  ])("refuses a signed identity with %s as incomplete", (_label, change) => {
    const payload: Record<string, unknown> = { ...CLERK, iat: Date.now(), ...change };
    for (const [name, value] of Object.entries(change)) if (value === undefined) delete payload[name];
    expect(refusal(signedPayload(payload))).toEqual({ message: expect.stringContaining("identity incomplete"), code: "UNAUTHENTICATED" });
  });
});
