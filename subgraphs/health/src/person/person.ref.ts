import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * Public-security owns Person; health only knows the pseudonymous id, computed from the ID numbers on its
 * own records, and contributes fields to it (person-health.resolver.ts). The gateway fetches name, sex and
 * the rest from public-security.
 */
@Directive('@key(fields: "id")')
@ObjectType("Person")
export class PersonRef {
  @Field(() => ID)
  id: string;
}

export function personRef(id: string | null | undefined): PersonRef | null {
  return id ? { id } : null;
}
