import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import { PersonRef } from "../../person/person.ref";

/** A reference to civil-affairs' MarriageRecord: the gateway fetches its fields from civil-affairs. */
@Directive('@key(fields: "registrationNumber", resolvable: false)')
@ObjectType("MarriageRecord")
export class MarriageRecordRef {
  @Field(() => ID)
  registrationNumber: string;
}

@ObjectType({ description: "A marriage of the year that 计生 has not followed up: no 育龄 record of the wife, or no pre-pregnancy check" })
export class NewMarriageFollowUp {
  @Field(() => MarriageRecordRef)
  marriage: MarriageRecordRef;

  @Field(() => DateScalar)
  registeredOn: string;

  @Field(() => PersonRef, { nullable: true })
  wife: PersonRef | null;

  @Field(() => PersonRef, { nullable: true })
  husband: PersonRef | null;

  @Field({ description: "Population holds a 育龄 record of the wife: her 全员人口 register entry or a 生育登记 / 再生育审批" })
  fertilityRecord: boolean;

  @Field({ description: "Health recorded a 孕前优生健康检查 of the wife on or after the marriage" })
  prePregnancyCheck: boolean;
}

@ObjectType({ description: "DOMAIN.md §5 report 7: the year's new marriages against 计生's records and health's checks, and coverage against the target" })
export class NewMarriagesReport {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int)
  year: number;

  @Field(() => Int, { description: "Marriages civil-affairs registered in the year" })
  marriages: number;

  @Field(() => Int, { description: "Of them, wives population has a 育龄 record of" })
  withFertilityRecord: number;

  @Field(() => Int, { description: "Of them, couples with a pre-pregnancy check since the marriage" })
  withPrePregnancyCheck: number;

  @Field(() => Int, { description: "The towns' pre-pregnancy check target for the year (health)" })
  target: number;

  @Field(() => Int, { description: "Pre-pregnancy checks made in the year (health)" })
  checksMade: number;

  @Field(() => Float, { description: "checksMade / target × 100 (0 when no target is set)" })
  targetRate: number;

  @Field(() => [NewMarriageFollowUp], { description: "Marriages lacking a 育龄 record, a pre-pregnancy check, or both" })
  followUps: NewMarriageFollowUp[];
}
