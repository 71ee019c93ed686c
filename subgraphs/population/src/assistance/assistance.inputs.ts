import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { AssistanceProgram } from "./assistance.enums";

/** Puts a person on the 奖扶 / 特扶 roster (CONTRACT.graphql, plus the optional region). */
@InputType()
export class EnrollAssistanceInput {
  @Field()
  idNumber: string;

  @Field(() => AssistanceProgram)
  program: AssistanceProgram;

  @Field(() => DateScalar, { description: "First day paid: not before the programme began (奖扶 2004-01-01, 特扶 2007-01-01)" })
  since: string;

  @Field(() => String, {
    nullable: true,
    description: "Division code of the roster (the person's hukou village or town); default: the hukou region public-security holds",
  })
  regionCode?: string | null;
}

/** Stops payment: the recipient died, or (特扶 伤残) the child recovered. */
@InputType()
export class EndAssistanceInput {
  @Field()
  idNumber: string;

  @Field(() => AssistanceProgram)
  program: AssistanceProgram;

  @Field(() => DateScalar, { description: "Last day paid" })
  until: string;

  @Field(() => Int, { nullable: true, description: "AssistanceEnrollment.version as last read: a stale version is VERSION_CONFLICT" })
  expectedVersion?: number | null;
}
