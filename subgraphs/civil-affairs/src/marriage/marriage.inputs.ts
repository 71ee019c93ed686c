import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType({ description: "结婚登记" })
export class RegisterMarriageInput {
  @Field({ description: "The husband's 公民身份号码: its sex digit must be male" })
  husbandIdNumber: string;

  @Field({ description: "The wife's 公民身份号码: its sex digit must be female" })
  wifeIdNumber: string;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field({ description: "Where the marriage is registered (county, town or village code)" })
  regionCode: string;
}

@InputType({ description: "离婚登记: name the marriage by its registration number, or by both spouses' ID numbers" })
export class RegisterDivorceInput {
  @Field(() => String, { nullable: true, description: "The 结婚登记 registration number (e.g. J522328-2015-000123)" })
  marriageRegistrationNumber?: string | null;

  @Field(() => String, { nullable: true })
  husbandIdNumber?: string | null;

  @Field(() => String, { nullable: true })
  wifeIdNumber?: string | null;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field({ description: "Where the divorce is registered (county, town or village code)" })
  regionCode: string;

  @Field(() => Int, { nullable: true, description: "MarriageRecord.version of the marriage as read; a stale one is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
