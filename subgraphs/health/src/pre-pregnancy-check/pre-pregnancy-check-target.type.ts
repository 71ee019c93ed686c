import { Field, Int, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../shared/src/graphql/common";

/** Resolved from a PrePregnancyCheckTargetRecord; `town` has a field resolver. */
@ObjectType({ description: "The yearly number of 孕前优生 checks a town is expected to make" })
export class PrePregnancyCheckTarget {
  @Field(() => RegionRef, { nullable: true })
  town: RegionRef | null;

  @Field(() => Int)
  year: number;

  @Field(() => Int)
  target: number;
}
