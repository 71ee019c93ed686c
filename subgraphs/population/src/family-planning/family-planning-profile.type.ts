import { ObjectType } from "type-graphql";

/**
 * A person's family-planning records. The root is only the person's id: every field is a field resolver that
 * goes through a per-request loader, so a list of people costs one statement per record kind, not per person.
 */
@ObjectType({ description: "A person's family-planning records (人口计生)" })
export class FamilyPlanningProfile {
  /** Not a GraphQL field: the key the field resolvers load by. */
  personId: string;
}
