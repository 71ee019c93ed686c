import { GraphQLError } from "graphql";
import type { ResolverData } from "type-graphql";
import { ErrorCode, forbidden } from "../errors";
import { maskIdNumber } from "../id-number";
import type { AuditRecorder } from "../audit/recorder";
import type { Caller } from "./caller";
import { PERSONAL_GROUPS, hasScope, type FieldGroup, type Scope } from "./grants";

/** Which persons a record of a given GraphQL type is about, for the access log (e.g. a marriage: both spouses). */
export type AuditSubjects = Record<string, (root: any) => (string | null | undefined)[]>;

/** The part of every subgraph's context that authorization and the access log use. */
export interface AuthorizationContext {
  caller: Caller;
  audit: AuditRecorder;
  auditSubjects: AuditSubjects;
}

const PERSON_SUBJECT = (root: { id?: string }) => [root?.id];

function subjectsOf(context: AuthorizationContext, typeName: string, root: unknown): (string | null | undefined)[] {
  const extract: ((root: any) => (string | null | undefined)[]) | undefined =
    typeName === "Person" ? PERSON_SUBJECT : context.auditSubjects[typeName];
  return root ? (extract?.(root) ?? []) : [];
}

export function purposeRequired(): GraphQLError {
  return new GraphQLError("读取个人信息须说明用途 (reading personal data needs a purpose: send the X-Purpose header)", {
    extensions: { code: ErrorCode.PURPOSE_REQUIRED },
  });
}

/**
 * type-graphql's auth checker. `@Authorized("read:hukou", ...)` lists alternatives: any one of them
 * suffices. A field of personal data needs a stated purpose; each read and each denial is recorded for the
 * access log of this department. A denied field resolves to null with FORBIDDEN, and its resolver (and so
 * its table) is never reached.
 */
// An arrow function on purpose: type-graphql treats a function with a prototype as an auth-checker class.
export const authChecker = ({ context, root, info }: ResolverData<AuthorizationContext>, scopes: Scope[]): boolean => {
  const { caller, audit } = context;
  const field = info.fieldName;
  const typeName = info.parentType.name;
  const subjects = subjectsOf(context, typeName, root);
  const label = typeName === "Person" || typeName === "Query" || typeName === "Mutation" ? field : `${typeName}.${field}`;
  const granted = scopes.find((scope) => hasScope(caller, scope));
  const { personal, read } = describe(scopes);
  if (!granted) {
    for (const subject of subjects) audit.recordDenied(subject, label);
    throw forbidden(`${label} (needs ${scopes.join(" or ")})`);
  }
  if (personal && !caller.purpose && read) throw purposeRequired();
  if (personal) for (const subject of subjects) audit.record(subject, label);
  return true;
};

/** What a decorator's scope list asks for, worked out once per field definition (the list is the decorator's own array). */
const descriptions = new WeakMap<readonly Scope[], { personal: boolean; read: boolean }>();

function describe(scopes: readonly Scope[]): { personal: boolean; read: boolean } {
  let description = descriptions.get(scopes);
  if (!description) {
    description = {
      personal: scopes.some((scope) => PERSONAL_GROUPS.has(scope.slice(scope.indexOf(":") + 1) as FieldGroup)),
      read: scopes.some((s) => s.startsWith("read:")),
    };
    descriptions.set(scopes, description);
  }
  return description;
}

/** Whether the caller's jurisdiction (a division-code prefix; "" = everywhere) covers a record's region. */
export function inJurisdiction(caller: Caller, regionCode: string | null | undefined): boolean {
  if (caller.dept === "citizen") return false; // citizens see only themselves: see canSeePerson
  return caller.region === "" || (regionCode ?? "").startsWith(caller.region);
}

/** Row-level rule for a record about a person: inside the jurisdiction, or the citizen's own. */
export function canSeePerson(caller: Caller, personId: string | null | undefined, regionCode: string | null | undefined): boolean {
  if (caller.dept === "citizen") return !!personId && personId === caller.personId;
  return inJurisdiction(caller, regionCode);
}

/** Row-level rule for a record about several persons (a marriage, a birth certificate). */
export function canSeeRecord(caller: Caller, personIds: (string | null | undefined)[], regionCode: string | null | undefined): boolean {
  if (caller.dept === "citizen") return personIds.some((id) => !!id && id === caller.personId);
  return inJurisdiction(caller, regionCode);
}

/** The SQL prefix for LIKE on region columns, or null when the caller sees every region. */
export function jurisdictionPrefix(caller: Caller): string | null {
  return caller.region === "" ? null : caller.region;
}

/** 王** : the surname kept, the given name hidden. */
export function maskName(name: string): string {
  const characters = [...name];
  return characters.length <= 1 ? "*" : characters[0] + "*".repeat(characters.length - 1);
}

/** Age in whole years on a date (YYYY-MM-DD strings). */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

export const MINOR_AGE = 14;

/**
 * A person's name as this caller may see it: masked for callers with only masked identity, and for
 * children under 14 unless the caller holds the `minors` grant (PIPL Art. 28, 31).
 */
export function visibleName(caller: Caller, name: string, birthDate: string | null, today: string): string {
  if (!hasScope(caller, "read:identity")) return maskName(name);
  if (birthDate && ageOn(birthDate, today) < MINOR_AGE && !hasScope(caller, "read:minors") && caller.dept !== "citizen") return maskName(name);
  return name;
}

export function visibleIdNumber(caller: Caller, idNumber: string): string {
  return hasScope(caller, "read:id-number") ? idNumber : maskIdNumber(idNumber);
}
