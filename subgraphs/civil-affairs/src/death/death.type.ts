import { Field, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { Region } from "../region/region.type";

@ObjectType({ description: "死亡登记 (with cremation number where cremated)" })
export class DeathRegistration {
  @Field(() => DateScalar)
  deathDate: string;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field(() => Region, { nullable: true })
  region: Region | null;

  @Field(() => String, { nullable: true })
  cremationNumber: string | null;
}
