import { Field, InputType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { CareVisitKind } from "./care-visit.enums";

/** A visit of a 计生两户 or hardship family. */
@InputType()
export class RecordCareVisitInput {
  @Field({ description: "Citizen ID number of the person visited" })
  idNumber: string;

  @Field(() => DateScalar)
  visitedOn: string;

  @Field(() => CareVisitKind)
  kind: CareVisitKind;

  @Field({ description: "Who visited" })
  visitedBy: string;

  @Field(() => String, { nullable: true, description: "What was found or given (at most 500 characters)" })
  note?: string | null;

  @Field({ description: "Division code of where the family lives" })
  regionCode: string;
}
