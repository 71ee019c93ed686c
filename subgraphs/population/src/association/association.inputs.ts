import { Field, InputType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** 计生协: a person joins the family-planning association. */
@InputType()
export class JoinAssociationInput {
  @Field()
  idNumber: string;

  @Field(() => DateScalar)
  joinedOn: string;

  @Field({ description: "Division code of the branch (usually the village)" })
  regionCode: string;
}
