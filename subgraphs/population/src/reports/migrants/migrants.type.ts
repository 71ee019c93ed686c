import { Field, Int, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import { MigrantRecord } from "../../migrant/migrant-record.type";

@ObjectType({ description: "An inflow woman aged 18–49 whose 婚育证明 reached the destination more than 30 days after the move, or not yet" })
export class LateCertificateSubmission {
  @Field(() => MigrantRecord)
  record: MigrantRecord;

  /** Resolved (masked, logged) by LateCertificateSubmissionResolver. */
  idNumber: string | null;

  @Field(() => DateScalar)
  dueOn: string;

  @Field(() => Int, { description: "Days after the move the certificate came in, or (not submitted) days since the move on `asOf`" })
  daysAfterMove: number;

  @Field({ description: "Whether it was submitted at all" })
  submitted: boolean;
}

@ObjectType({ description: "Migrant moves (流动人口) of one town and year: in (to the town) and out (from it)" })
export class MigrantCount {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int)
  year: number;

  @Field(() => Int)
  inflow: number;

  @Field(() => Int)
  outflow: number;
}
