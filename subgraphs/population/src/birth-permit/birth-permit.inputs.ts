import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** 生育登记 / 再生育审批 of a couple for their n-th child. */
@InputType()
export class ApproveBirthPermitInput {
  @Field({ description: "Permit number, unique" })
  number: string;

  @Field({ description: "e.g. 生育登记, 再生育审批, 再生育审批(单独二孩)" })
  kind: string;

  @Field(() => DateScalar)
  approvedOn: string;

  @Field({ description: "The wife's citizen ID number: female, of legal marriage age (20)" })
  wifeIdNumber: string;

  @Field(() => String, { nullable: true, description: "The husband's citizen ID number: male, of legal marriage age (22); absent if unknown to the platform" })
  husbandIdNumber?: string | null;

  @Field({ description: "Division code of the approving township or county" })
  regionCode: string;

  @Field(() => Int, { description: "孩次 the permit is for: 1 = the couple's first child" })
  birthOrder: number;
}
