import { Arg, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { DateScalar, todayInChina } from "../../../../shared/src/scalars";
import { annualAmountYuan as annualAmountOn } from "./assistance-amounts";
import type { AssistanceEnrollmentRecord } from "./assistance-enrollment.entity";
import { AssistanceEnrollment } from "./assistance-enrollment.type";
import { AssistanceProgram } from "./assistance.enums";

/** The date an enrollment's amount is quoted for: today while it runs, its last day once it has ended. */
export function amountDateOf(enrollment: Pick<AssistanceEnrollmentRecord, "until">, today: string = todayInChina()): string {
  return enrollment.until !== null && enrollment.until < today ? enrollment.until : today;
}

@Resolver(() => AssistanceEnrollment)
export class AssistanceEnrollmentResolver {
  @Query(() => Int, { description: "National annual amount per person in yuan for a programme on a date (0 before the programme began)" })
  assistanceAmount(
    @Arg("program", () => AssistanceProgram) program: AssistanceProgram,
    @Arg("on", () => DateScalar) on: string,
  ): number {
    return annualAmountOn(program, on);
  }

  @FieldResolver(() => Int, { description: "Annual amount per person in yuan: this year's rate, or the rate on `until` if the enrollment has ended" })
  annualAmountYuan(@Root() enrollment: AssistanceEnrollmentRecord): number {
    return annualAmountOn(enrollment.program, amountDateOf(enrollment));
  }
}
