import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { AuditRecorder } from "../../shared/src/audit/recorder";
import type { Caller } from "../../shared/src/auth/caller";
import { defaultScopes, type Scope } from "../../shared/src/auth/grants";
import { DEPARTMENTS } from "../../shared/src/config";
import { SYNCHRONOUS_PLAIN_FIELD, type SynchronousPlainField } from "../../shared/src/federation";
import { SUBGRAPHS } from "../../shared/scripts/departments";

// shared/src/federation.ts resolves plain `@Authorized` fields without type-graphql's async middleware. Every
// field so replaced must behave exactly like type-graphql's resolver it replaced, for every kind of caller:
// same value or same error, and the same reads and denials recorded for the access log.

interface Outcome {
  value?: unknown;
  error?: { name: string; message: string; code: unknown };
  recorded: unknown[][];
  denied: unknown[][];
}

async function outcomeOf(resolve: GraphQLFieldResolver<unknown, unknown>, root: unknown, caller: Caller, info: GraphQLResolveInfo, auditSubjects: unknown): Promise<Outcome> {
  const audit = new AuditRecorder();
  const record = jest.spyOn(audit, "record");
  const recordDenied = jest.spyOn(audit, "recordDenied");
  const outcome: Outcome = { recorded: [], denied: [] };
  try {
    outcome.value = await resolve(root, {}, { caller, audit, auditSubjects }, info);
  } catch (error) {
    const e = error as Error & { extensions?: { code?: unknown } };
    outcome.error = { name: e.name, message: e.message, code: e.extensions?.code };
  }
  // recordDenied calls record itself: keep only the direct reads.
  outcome.denied = recordDenied.mock.calls;
  outcome.recorded = record.mock.calls.filter(([, field]) => !String(field).startsWith("!"));
  return outcome;
}

/** A record whose every property reads as a value of its own (so that any audit subject extractor finds ids). */
function recordWith(property: string): unknown {
  return new Proxy({}, { get: (_target, key) => (key === property ? `value of ${property}` : typeof key === "string" ? `id-${key}` : undefined) });
}

function callersFor(roles: readonly Scope[]): Caller[] {
  const base = { sub: "clerk-fast-path", region: "", requestId: "fast-path" };
  return [
    { ...base, dept: "population", scopes: defaultScopes("population"), purpose: "case 1" },
    { ...base, dept: "population", scopes: defaultScopes("population"), purpose: null },
    { ...base, dept: "analyst", scopes: defaultScopes("analyst"), purpose: "case 1" },
    { ...base, dept: "citizen", scopes: [], purpose: "case 1", personId: "id-id" },
    { ...base, dept: "citizen", scopes: defaultScopes("citizen"), purpose: "case 1", personId: "id-id" },
    // Each role alone, with and without a purpose.
    ...roles.flatMap((role) => [
      { ...base, dept: "citizen" as const, scopes: [role], purpose: "case 1" },
      { ...base, dept: "citizen" as const, scopes: [role], purpose: null },
    ]),
  ];
}

describe("plain authorized fields resolved synchronously", () => {
  const schemas: Record<string, GraphQLSchema> = {};
  const replacedIn: Record<string, number> = {};

  beforeAll(async () => {
    for (const d of DEPARTMENTS) schemas[d] = await SUBGRAPHS[d].buildSchema();
  }, 120_000);

  it.each(DEPARTMENTS)("in %s: same value or error, same access-log reads and denials as type-graphql's resolver", async (department) => {
    const schema = schemas[department];
    const auditSubjects = SUBGRAPHS[department].auditSubjects ?? {};
    let replaced = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const fast = (field.resolve as unknown as Record<symbol, SynchronousPlainField | undefined> | undefined)?.[SYNCHRONOUS_PLAIN_FIELD];
        if (!fast) continue;
        replaced++;
        const info = { fieldName: field.name, parentType: type } as unknown as GraphQLResolveInfo;
        for (const caller of callersFor(fast.roles)) {
          const root = recordWith(field.name);
          const expected = await outcomeOf(fast.replaced, root, caller, info, auditSubjects);
          const actual = await outcomeOf(field.resolve!, root, caller, info, auditSubjects);
          expect({ field: `${type.name}.${field.name}`, caller: caller.scopes, purpose: caller.purpose, ...actual }).toEqual({
            field: `${type.name}.${field.name}`,
            caller: caller.scopes,
            purpose: caller.purpose,
            ...expected,
          });
        }
      }
    }
    replacedIn[department] = replaced;
  });

  it("covers the plain fields the benchmark's profile reads", () => {
    const isFast = (department: (typeof DEPARTMENTS)[number], typeName: string, fieldName: string) => {
      const type = schemas[department].getType(typeName);
      const resolve = isObjectType(type) ? type.getFields()[fieldName]?.resolve : undefined;
      return !!(resolve as unknown as Record<symbol, unknown> | undefined)?.[SYNCHRONOUS_PLAIN_FIELD];
    };
    expect(Object.values(replacedIn).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(isFast("public-security", "Person", "sex")).toBe(true);
    expect(isFast("public-security", "Person", "birthDate")).toBe(true);
    expect(isFast("public-security", "Person", "status")).toBe(true);
    expect(isFast("health", "BirthCertificate", "birthDate")).toBe(true);
    expect(isFast("health", "BirthCertificate", "birthOrder")).toBe(true);
  });
});
