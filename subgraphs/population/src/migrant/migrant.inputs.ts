import { Field, ID, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { MigrationDirection } from "./migrant.enums";

/** One move of a migrant (CONTRACT.graphql), with the optional 婚育证明 details of 流动人口计划生育工作条例 Art. 7/8. */
@InputType()
export class RecordMigrationInput {
  @Field({ description: "The migrant's citizen ID number (sex and birth date are kept from it)" })
  idNumber: string;

  @Field(() => MigrationDirection, { description: "Seen from this county: INFLOW = arrived here, OUTFLOW = left" })
  direction: MigrationDirection;

  @Field({ description: "Where from: for an inflow any county of China, for an outflow a division of this county" })
  fromRegionCode: string;

  @Field({ description: "Where to: for an outflow any county of China, for an inflow a division of this county" })
  toRegionCode: string;

  @Field(() => DateScalar)
  movedOn: string;

  @Field(() => String, { nullable: true, description: "婚育证明 number, if she holds one (women 18–49)" })
  certificateNumber?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "When the 婚育证明 was issued: required with its number" })
  certificateIssuedOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last day the 婚育证明 is valid; default three years from issue" })
  certificateValidUntil?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "When the 婚育证明 was submitted at the destination, if already (Art. 8)" })
  submittedAtDestinationOn?: string | null;
}

/** Art. 8: the 婚育证明 handed in at the destination (due within 30 days of arrival). */
@InputType()
export class SubmitMarriageFertilityCertificateInput {
  @Field(() => ID, { description: "MigrantRecord.id of the move" })
  migrantRecordId: string;

  @Field(() => DateScalar)
  submittedOn: string;

  @Field(() => Int, { nullable: true, description: "MigrantRecord.version as last read: a stale version is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
