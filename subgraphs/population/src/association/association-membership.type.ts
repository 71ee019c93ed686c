import { Field, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** Resolved from an AssociationMemberRecord; `person` and `region` have field resolvers. */
@ObjectType({ description: "计生协会员: membership of the family-planning association" })
export class AssociationMembership {
  @Field(() => DateScalar)
  joinedOn: string;

  @Field(() => Int, { description: "Row version (optimistic concurrency)" })
  version: number;
}
