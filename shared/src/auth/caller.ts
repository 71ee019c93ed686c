/** Departments and roles a token's `dept` claim may name (DESIGN.md, "Callers, identity and audit"). */
export const CALLER_DEPARTMENTS = [
  "population",
  "public_security",
  "civil_affairs",
  "health",
  "analyst",
  "partner",
  "auditor",
  "citizen",
] as const;
export type CallerDepartment = (typeof CALLER_DEPARTMENTS)[number];

/**
 * The verified caller, as the gateway passes it to every subgraph. `region` is the jurisdiction, a
 * division-code prefix ("" = the whole platform); `purpose` is the case or reason given in X-Purpose.
 */
export interface Caller {
  sub: string;
  dept: CallerDepartment;
  scopes: string[];
  region: string;
  purpose: string | null;
  /** For citizens: the pseudonymous id of the person they are. */
  personId?: string;
  requestId: string;
}

export function isCallerDepartment(value: unknown): value is CallerDepartment {
  return typeof value === "string" && (CALLER_DEPARTMENTS as readonly string[]).includes(value);
}
