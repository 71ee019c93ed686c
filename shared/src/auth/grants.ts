import type { Caller, CallerDepartment } from "./caller";

/**
 * Field groups: the unit in which access to personal data is granted (X-Road: each provider grants access
 * to its own services; 国发〔2016〕51号: 有条件共享 needs a stated basis). Every personal-data field of the
 * graph belongs to exactly one group, named in its `@Authorized(...)` decorator.
 */
export const FIELD_GROUPS = [
  "identity", //         name, sex, birth date, ethnicity, status (names of minors need `minors` too)
  "identity-masked", //  the same, with names masked (王**) and ID numbers masked: for statistics
  "id-number", //        the raw 公民身份号码 (otherwise shown as 522328********1234)
  "minors", //           names of under-14s (PIPL Art. 28/31: sensitive, dedicated rules)
  "hukou", //            hukou, household, residence, newborn registration (落户)
  "marriage", //         marital status, marriage and divorce registrations
  "civil-status", //     death registration, relief (低保, 特困)
  "births", //           birth medical certificates (出生医学证明)
  "health", //           pre-pregnancy health checks and other medical records (PIPL Art. 28)
  "family-planning", //  only-child certificates, birth permits, assistance rosters, 计生协, fee cases, visits
  "migrants", //         migrant records and 婚育证明
  "reports", //          cross-department reports and statistics
  "audit", //            access logs
  "only-child-verification", // the yes/no answer partners (schools) may ask for
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

export type Scope = `read:${FieldGroup}` | `write:${FieldGroup}`;

interface Grant {
  read: readonly FieldGroup[];
  write: readonly FieldGroup[];
  /** Scopes a new token for this department carries unless it asks for fewer (`npm run token`). */
  defaultScopes?: readonly Scope[];
}

/**
 * The grant table: the most each kind of caller may ever do. A token's `scope` claim can only narrow it.
 * Changing a line here is changing who may see citizens' data: it needs the owning department's consent.
 */
export const GRANTS: Record<CallerDepartment, Grant> = {
  public_security: {
    read: ["identity", "id-number", "minors", "hukou", "marriage", "civil-status", "births"],
    write: ["identity", "hukou"],
  },
  civil_affairs: {
    read: ["identity", "id-number", "minors", "hukou", "marriage", "civil-status"],
    write: ["marriage", "civil-status"],
  },
  health: {
    read: ["identity", "id-number", "minors", "hukou", "births", "health"],
    write: ["births", "health"],
  },
  population: {
    read: ["identity", "id-number", "minors", "hukou", "marriage", "civil-status", "births", "family-planning", "migrants", "reports"],
    write: ["family-planning", "migrants"],
  },
  // Analysts see statistics and reports, and people only with masked names and ID numbers.
  analyst: { read: ["identity-masked", "reports"], write: [] },
  auditor: { read: ["identity-masked", "audit"], write: [] },
  // Partners run safelisted operations only (gateway/persisted-operations.json).
  partner: { read: ["only-child-verification"], write: [] },
  // Citizens read their own record and who read it; row filters keep them to themselves.
  citizen: {
    read: ["identity", "id-number", "minors", "hukou", "marriage", "civil-status", "births", "health", "family-planning", "migrants", "audit"],
    write: [],
  },
};

/** Every scope the grant table allows a department: its default token scopes. */
export function defaultScopes(dept: CallerDepartment): Scope[] {
  const grant = GRANTS[dept];
  return grant.defaultScopes
    ? [...grant.defaultScopes]
    : [...grant.read.map((g) => `read:${g}` as Scope), ...grant.write.map((g) => `write:${g}` as Scope)];
}

/** The scopes a caller actually holds: what its token asks for, within what the grant table allows. */
export function effectiveScopes(caller: Pick<Caller, "dept" | "scopes">): Set<Scope> {
  return new Set(heldScopes(caller));
}

export function hasScope(caller: Pick<Caller, "dept" | "scopes">, scope: Scope): boolean {
  return heldScopes(caller).has(scope);
}

/**
 * effectiveScopes, computed once per caller instead of once per field checked: `hasScope` runs for every
 * field of every record a request resolves (thousands for a page of people). Keyed by the caller's scope
 * array itself: each verified caller gets its own array, and no code changes one in place after
 * verification (a replaced array or a changed department is never answered from the memo).
 */
const held = new WeakMap<readonly string[], { dept: CallerDepartment; scopes: ReadonlySet<Scope> }>();

function heldScopes(caller: Pick<Caller, "dept" | "scopes">): ReadonlySet<Scope> {
  const memo = held.get(caller.scopes);
  if (memo && memo.dept === caller.dept) return memo.scopes;
  const allowed = new Set(defaultScopes(caller.dept));
  const scopes: ReadonlySet<Scope> = new Set(caller.scopes.filter((s): s is Scope => allowed.has(s as Scope)));
  held.set(caller.scopes, { dept: caller.dept, scopes });
  return scopes;
}

/** Field groups that are personal data: reading them needs a purpose and is written to the access log. */
export const PERSONAL_GROUPS: ReadonlySet<FieldGroup> = new Set(FIELD_GROUPS.filter((g) => g !== "reports"));
