import { FieldResolver, Resolver, Root } from "type-graphql";
import { PersonRef, personRef } from "../person/person.ref";
import type { BirthPermitRecord } from "./birth-permit.entity";
import { BirthPermit } from "./birth-permit.type";

@Resolver(() => BirthPermit)
export class BirthPermitResolver {
  @FieldResolver(() => PersonRef, { nullable: true })
  wife(@Root() permit: BirthPermitRecord): PersonRef | null {
    return personRef(permit.wifePersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true })
  husband(@Root() permit: BirthPermitRecord): PersonRef | null {
    return personRef(permit.husbandPersonId);
  }
}
