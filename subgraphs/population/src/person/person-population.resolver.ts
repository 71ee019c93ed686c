import { Authorized, FieldResolver, Resolver, Root } from "type-graphql";
import { FamilyPlanningProfile } from "../family-planning/family-planning-profile.type";
import { PersonRef } from "./person.ref";

@Resolver(() => PersonRef)
export class PersonPopulationResolver {
  // The profile is only the id here; its fields load through the per-request loaders, so nothing is read
  // unless the query asks for it. A person with no records gets empty lists, not null: null is left for a
  // denial or an outage of this subgraph.
  @Authorized("read:family-planning")
  @FieldResolver(() => FamilyPlanningProfile, { nullable: true, description: "Contributed by population (人口计生)" })
  familyPlanning(@Root() person: PersonRef): FamilyPlanningProfile {
    return { personId: person.id };
  }
}

/** Federation entry point: population holds no person rows, so a reference is answered as it came. */
export const personReference = {
  __resolveReference(reference: { id: string }): PersonRef {
    return { id: reference.id };
  },
};
