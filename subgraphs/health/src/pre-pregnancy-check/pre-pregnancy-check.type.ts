import { Authorized, Directive, Field, ID, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";
import { PersonRef } from "../person/person.ref";

/** Resolved from a PrePregnancyCheckRecord: plain fields read the record, region and the couple have field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "孕前优生健康检查: a free pre-pregnancy health check of a couple" })
export class PrePregnancyCheck {
  @Field(() => ID)
  id: string;

  @Authorized("read:health")
  @Field(() => DateScalar)
  checkedOn: string;

  @Authorized("read:health")
  @Field(() => PersonRef, { nullable: true })
  woman: PersonRef | null;

  @Authorized("read:health")
  @Field(() => PersonRef, { nullable: true })
  man: PersonRef | null;

  @Authorized("read:health")
  @Field()
  institution: string;

  @Authorized("read:health")
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Authorized("read:health")
  @Field({ description: "The check found a risk that needs follow-up" })
  riskFound: boolean;
}
