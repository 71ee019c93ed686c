import { Authorized, Directive, Field, ID, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../shared/src/graphql/common";
import { HukouType } from "../person/person.enums";

@Directive('@key(fields: "householdNumber")')
@ObjectType({ description: "户: one hukou booklet and its members" })
export class Household {
  @Field(() => ID)
  householdNumber: string;

  @Authorized("read:hukou")
  @Field(() => HukouType)
  type: HukouType;

  @Authorized("read:hukou")
  @Field()
  address: string;

  @Authorized("read:hukou")
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;
}
