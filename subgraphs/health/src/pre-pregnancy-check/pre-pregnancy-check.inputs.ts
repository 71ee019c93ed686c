import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** One free 孕前优生健康检查 of a couple (CONTRACT.graphql). */
@InputType()
export class RecordPrePregnancyCheckInput {
  @Field({ description: "The woman's citizen ID number: female, aged 20–49 on the day of the check" })
  womanIdNumber: string;

  @Field(() => String, { nullable: true, description: "The man's citizen ID number, if he was checked too: male, aged 22 or over" })
  manIdNumber?: string | null;

  @Field(() => DateScalar)
  checkedOn: string;

  @Field()
  institution: string;

  @Field({ description: "Division code of where the couple lives (county, town or village)" })
  regionCode: string;

  @Field()
  riskFound: boolean;
}

/** The yearly number of checks a town is expected to make. */
@InputType()
export class SetPrePregnancyCheckTargetInput {
  @Field({ description: "Nine-digit township code" })
  townCode: string;

  @Field(() => Int)
  year: number;

  @Field(() => Int, { description: "Checks expected in the year (counties aim at about 80–90% of the couples planning a pregnancy)" })
  target: number;
}
