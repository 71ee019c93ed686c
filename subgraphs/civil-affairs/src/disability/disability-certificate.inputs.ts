import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";

@InputType({ description: "Records a 残疾人证 the disabled persons' federation issued" })
export class RecordDisabilityCertificateInput {
  @Field()
  certificateNumber: string;

  @Field()
  idNumber: string;

  @Field(() => Int, { description: "1 (most severe) to 4" })
  grade: number;

  @Field(() => DateScalar)
  issuedOn: string;

  @Field({ description: "The holder's hukou region (county, town or village code)" })
  regionCode: string;
}
