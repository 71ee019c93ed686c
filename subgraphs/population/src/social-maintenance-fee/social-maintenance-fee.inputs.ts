import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** A 社会抚养费 征收决定 for one birth: the birth by its 出生医学证明 number, the child's ID number, or both. */
@InputType()
export class DecideSocialMaintenanceFeeInput {
  @Field(() => String, { nullable: true, description: "出生医学证明 number of the birth" })
  birthCertificateNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The child's citizen ID number, once it has one" })
  childIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The mother's citizen ID number: female" })
  motherIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The father's citizen ID number: male" })
  fatherIdNumber?: string | null;

  @Field({ description: "Six-digit code of the deciding county (residence, hukou place, or whichever found the birth first)" })
  decidingCountyCode: string;

  @Field(() => DateScalar)
  decidedOn: string;

  @Field(() => Int)
  amountYuan: number;
}

/** A payment towards a decided fee. */
@InputType()
export class RecordFeePaymentInput {
  @Field(() => ID, { description: "SocialMaintenanceFeeCase.id" })
  caseId: string;

  @Field(() => Int)
  amountYuan: number;

  @Field(() => DateScalar)
  paidOn: string;

  @Field(() => Int, { nullable: true, description: "SocialMaintenanceFeeCase.version as last read: a stale version is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
