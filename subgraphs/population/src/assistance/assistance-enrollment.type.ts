import { Field, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { AssistanceProgram } from "./assistance.enums";

/** Resolved from an AssistanceEnrollmentRecord; `annualAmountYuan` is computed from the dated rates. */
@ObjectType({ description: "One person on the 奖励扶助 or 特别扶助 roster" })
export class AssistanceEnrollment {
  @Field(() => AssistanceProgram)
  program: AssistanceProgram;

  @Field(() => DateScalar)
  since: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day paid; null while the enrollment is running" })
  until: string | null;
}
