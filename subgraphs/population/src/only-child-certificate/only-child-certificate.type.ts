import { Field, ID, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

/** Resolved from an OnlyChildCertificateRecord; `child` has a field resolver. */
@ObjectType({ description: "独生子女父母光荣证" })
export class OnlyChildCertificate {
  @Field(() => ID)
  number: string;

  @Field(() => DateScalar)
  issuedOn: string;
}
