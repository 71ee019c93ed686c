import { Field, Int, ObjectType } from "type-graphql";
import { Department } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import { PersonRef } from "../../person/person.ref";

@ObjectType({ description: "One rule of a programme, checked against the record of the department that owns the fact" })
export class EligibilityFact {
  @Field({ description: "Short rule name, e.g. \"aged 60 or over\"" })
  rule: string;

  @Field()
  satisfied: boolean;

  @Field(() => Department, { description: "Which department's record decided it" })
  source: Department;

  @Field(() => String, { nullable: true, description: "What the record says, in words a clerk can read to the family" })
  detail: string | null;
}

@ObjectType({ description: "Whether a person qualifies for a 奖扶 / 特扶 programme on a day, and why" })
export class Eligibility {
  @Field(() => AssistanceProgram)
  program: AssistanceProgram;

  @Field({ description: "Every rule satisfied" })
  eligible: boolean;

  @Field({ description: "On population's roster for the programme on the day (an enrollment that has begun and not ended)" })
  enrolled: boolean;

  @Field(() => [EligibilityFact], { description: "Every rule checked, with the department it came from" })
  facts: EligibilityFact[];

  @Field(() => PersonRef, { nullable: true, description: "The person assessed (identity fields come with the caller's own grants and masking)" })
  person: PersonRef | null;

  @Field(() => DateScalar, { description: "The day assessed" })
  asOf: string;

  @Field(() => Int, { description: "The programme's national annual amount per person in yuan on that day (dated parameters); 0 when not eligible" })
  annualAmountYuan: number;
}
