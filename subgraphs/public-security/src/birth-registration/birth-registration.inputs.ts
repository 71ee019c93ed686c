import { Field, InputType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType({ description: "出生登记 (落户) from a birth medical certificate" })
export class RegisterNewbornInput {
  @Field({ description: "出生医学证明 number (health)" })
  certificateNumber: string;

  @Field({ description: "The 公民身份号码 assigned to the child: birth date and sex digit must match the certificate" })
  idNumber: string;

  @Field()
  name: string;

  @Field({ description: "The household (户) the child is entered into" })
  householdNumber: string;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field(() => String, { nullable: true, description: "与户主关系; default from the mother's place in the household (子/女, 孙子/孙女 ...)" })
  relationToHead?: string | null;

  @Field(() => String, { nullable: true, description: "民族; default the mother's" })
  ethnicity?: string | null;
}
