import { Field, ID, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import { MigrationDirection } from "./migrant.enums";

@ObjectType({ description: "流动人口婚育证明 (流动人口计划生育工作条例 Art. 7)" })
export class MarriageFertilityCertificate {
  @Field(() => ID)
  number: string;

  @Field(() => DateScalar)
  issuedOn: string;

  @Field(() => DateScalar)
  validUntil: string;
}

/** Resolved from a MigrationRecord; person, from, to and certificate have field resolvers. */
@ObjectType({ description: "One move of a migrant (流动人口), inflow or outflow" })
export class MigrantRecord {
  @Field(() => MigrationDirection)
  direction: MigrationDirection;

  @Field(() => DateScalar)
  movedOn: string;

  @Field(() => DateScalar, { nullable: true, description: "When the 婚育证明 was submitted at the destination (due within 30 days, Art. 8)" })
  submittedAtDestinationOn: string | null;
}
