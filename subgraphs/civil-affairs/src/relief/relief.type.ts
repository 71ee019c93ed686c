import { Field, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@ObjectType({ description: "低保 / 特困供养 enrollment" })
export class ReliefEnrollment {
  @Field({ description: "e.g. 农村低保, 城市低保, 特困供养" })
  program: string;

  @Field(() => DateScalar)
  since: string;

  @Field(() => DateScalar, { nullable: true })
  until: string | null;
}
