import { Directive, Field, ID, ObjectType } from "type-graphql";

/** public-security owns Person; civil-affairs contributes marital status, marriages, death and relief. */
@Directive('@key(fields: "id")')
@ObjectType("Person")
export class PersonRef {
  @Field(() => ID)
  id: string;
}

export function personRef(id: string | null | undefined): PersonRef | null {
  return id ? { id } : null;
}

export const personReference = {
  // Nothing to look up: every contributed field is loaded by its own batched loader.
  __resolveReference(reference: { id: string }): PersonRef {
    return { id: reference.id };
  },
};
