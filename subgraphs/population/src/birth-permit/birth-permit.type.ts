import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** Resolved from a BirthPermitRecord; `wife` and `husband` have field resolvers. */
@ObjectType({ description: "生育登记 / 再生育审批" })
export class BirthPermit {
  @Field(() => ID)
  number: string;

  @Field({ description: "e.g. 生育登记, 再生育审批(单独二孩)" })
  kind: string;

  @Field(() => DateScalar)
  approvedOn: string;

  @Field(() => Int, { description: "孩次 the permit is for: 1 = the couple's first child" })
  birthOrder: number;
}
