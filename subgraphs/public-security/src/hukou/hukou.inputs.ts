import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { PersonStatus } from "../person/person.enums";

@InputType({ description: "注销户口: death, emigration or another legal reason" })
export class CancelHukouInput {
  @Field()
  idNumber: string;

  @Field(() => PersonStatus, { description: "DECEASED, MIGRATED_OUT or CANCELLED" })
  reason: PersonStatus;

  @Field(() => DateScalar)
  on: string;

  @Field(() => Int, { nullable: true, description: "Person.version as read; a stale one is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}

@InputType({ description: "迁入: a hukou moved into a household of this register" })
export class MoveHukouInInput {
  @Field()
  idNumber: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  ethnicity?: string | null;

  @Field({ description: "迁出地: where the hukou was (a county, town or village code)" })
  fromRegionCode: string;

  @Field({ description: "The household (户) moved into; its region is the new hukou region" })
  householdNumber: string;

  @Field({ description: "与户主关系" })
  relationToHead: string;

  @Field(() => DateScalar)
  on: string;

  @Field(() => Int, { nullable: true, description: "For a person returning to this register: Person.version as read" })
  expectedVersion?: number | null;
}

@InputType({ description: "迁出: a hukou moved out of this register" })
export class MoveHukouOutInput {
  @Field()
  idNumber: string;

  @Field({ description: "迁入地: where the hukou goes (a county, town or village code)" })
  toRegionCode: string;

  @Field(() => DateScalar)
  on: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}

@InputType({ description: "Where the person actually lives (居住登记); differing from the hukou region is 人户分离" })
export class ChangeResidenceInput {
  @Field()
  idNumber: string;

  @Field()
  regionCode: string;

  @Field()
  address: string;

  @Field(() => DateScalar, { description: "The day the person began living there" })
  since: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}
