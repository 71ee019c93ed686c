import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@ObjectType({ description: "残疾人证 as civil-affairs records it (issued by the disabled persons' federation)" })
export class DisabilityCertificate {
  @Field(() => ID)
  certificateNumber: string;

  @Field(() => Int, { description: "1 (most severe) to 4" })
  grade: number;

  @Field(() => DateScalar)
  issuedOn: string;

  @Field(() => DateScalar, { nullable: true, description: "Withdrawn on this day (recovered or re-assessed); null while valid" })
  revokedOn: string | null;
}
