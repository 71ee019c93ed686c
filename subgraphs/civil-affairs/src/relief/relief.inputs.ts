import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType({ description: "低保 / 特困供养 enrollment" })
export class EnrollReliefInput {
  @Field()
  idNumber: string;

  @Field({ description: "农村低保, 城市低保 or 特困供养" })
  program: string;

  @Field(() => DateScalar)
  since: string;

  @Field({ description: "Where the person is enrolled (county, town or village code)" })
  regionCode: string;
}

@InputType({ description: "Ends the person's current enrollment in a relief programme" })
export class EndReliefInput {
  @Field()
  idNumber: string;

  @Field({ description: "农村低保, 城市低保 or 特困供养" })
  program: string;

  @Field(() => DateScalar, { description: "The last day of the enrollment" })
  until: string;

  @Field(() => Int, { nullable: true, description: "ReliefEnrollment.version as read; a stale one is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
