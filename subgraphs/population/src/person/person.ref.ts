import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * Public-security owns Person; this subgraph only knows the pseudonymous id and contributes fields to it
 * (familyPlanning). The key is resolvable here so that the gateway can ask for population's fields of any
 * person: the reference resolver answers `{ id }` without touching the database.
 */
@Directive('@key(fields: "id")')
@ObjectType("Person")
export class PersonRef {
  @Field(() => ID)
  id: string;
}

/** A stub for a person this department refers to; the gateway fetches name, sex ... from public-security. */
export function personRef(id: string | null | undefined): PersonRef | null {
  return id ? { id } : null;
}
