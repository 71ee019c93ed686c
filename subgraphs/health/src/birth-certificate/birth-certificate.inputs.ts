import { Field, InputType } from "type-graphql";
import { Sex } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType()
export class BirthFilter {
  @Field(() => String, { nullable: true, description: "Division-code prefix of the mother's region" })
  regionCode?: string | null;

  @Field(() => DateScalar, { nullable: true })
  bornFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  bornTo?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;
}

/** 出生医学证明 as the delivering institution issues it (CONTRACT.graphql). 孩次 is computed, never given. */
@InputType()
export class IssueBirthCertificateInput {
  @Field({ description: "出生医学证明编号, unique" })
  certificateNumber: string;

  @Field()
  childName: string;

  @Field(() => Sex, { description: "The child's sex (a newborn has no ID number to take it from)" })
  sex: Sex;

  @Field(() => DateScalar)
  birthDate: string;

  @Field({ description: "The mother's citizen ID number: female, aged 12–60 at the birth" })
  motherIdNumber: string;

  @Field(() => String, { nullable: true, description: "The father's citizen ID number, if known: male" })
  fatherIdNumber?: string | null;

  @Field({ description: "The delivering institution" })
  institution: string;

  @Field({ description: "Division code of where the mother lives (county, town or village)" })
  regionCode: string;
}
