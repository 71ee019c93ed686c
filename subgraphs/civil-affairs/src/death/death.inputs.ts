import { Field, InputType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType({ description: "死亡登记 (with the cremation certificate number where cremated)" })
export class RegisterDeathInput {
  @Field()
  idNumber: string;

  @Field(() => DateScalar)
  deathDate: string;

  @Field({ description: "Where the death is registered (county, town or village code)" })
  regionCode: string;

  @Field(() => String, { nullable: true })
  cremationNumber?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Default: today (China time). Not before the death date" })
  registeredOn?: string | null;
}
