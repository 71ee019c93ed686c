import { Field, InputType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** 独生子女父母光荣证: either parent may be absent (single-parent families), the child may have no ID number yet. */
@InputType()
export class IssueOnlyChildCertificateInput {
  @Field({ description: "Certificate number, unique" })
  number: string;

  @Field(() => DateScalar)
  issuedOn: string;

  @Field(() => String, { nullable: true, description: "The father's citizen ID number: male" })
  fatherIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The mother's citizen ID number: female" })
  motherIdNumber?: string | null;

  @Field(() => String, { nullable: true, description: "The child's citizen ID number, once it has one" })
  childIdNumber?: string | null;

  @Field({ description: "Division code of the issuing township or county" })
  regionCode: string;
}
