import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { CareVisitKind } from "./care-visit.enums";

/** Resolved from a CareVisitRecord; `person` and `region` have field resolvers. */
@ObjectType({ description: "走访慰问: a visit of a 计生两户 or hardship family" })
export class CareVisit {
  @Field(() => ID)
  id: string;

  @Field(() => DateScalar)
  visitedOn: string;

  @Field(() => CareVisitKind)
  kind: CareVisitKind;

  @Field({ description: "Who visited" })
  visitedBy: string;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => Int, { description: "Row version (optimistic concurrency)" })
  version: number;
}
