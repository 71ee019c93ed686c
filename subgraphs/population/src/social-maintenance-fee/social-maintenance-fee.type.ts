import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { SocialMaintenanceFeeStatus } from "./social-maintenance-fee.enums";

/** Resolved from a SocialMaintenanceFeeRecord; the persons, the county and `outstandingYuan` have field resolvers. */
@ObjectType({ description: "社会抚养费 征收决定: one fee case for one birth (never two for the same birth)" })
export class SocialMaintenanceFeeCase {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: "出生医学证明 number of the birth, when known" })
  birthCertificateNumber: string | null;

  @Field(() => DateScalar)
  decidedOn: string;

  @Field(() => Int)
  amountYuan: number;

  @Field(() => Int)
  paidYuan: number;

  @Field(() => DateScalar, { nullable: true })
  lastPaidOn: string | null;

  @Field(() => SocialMaintenanceFeeStatus)
  status: SocialMaintenanceFeeStatus;

  @Field(() => Int, { description: "Row version (optimistic concurrency): send it as expectedVersion with a payment" })
  version: number;
}
