import { Authorized, Directive, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { PageInfo } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";
import { PersonRef } from "../person/person.ref";
import { Region } from "../region/region.type";
import { MarriageRecordKind } from "./marriage.enums";

@Directive('@key(fields: "registrationNumber")')
@ObjectType({ description: "结婚登记 or 离婚登记" })
export class MarriageRecord {
  @Field(() => ID)
  registrationNumber: string;

  @Authorized("read:marriage")
  @Field(() => MarriageRecordKind)
  kind: MarriageRecordKind;

  @Authorized("read:marriage")
  @Field(() => DateScalar)
  registeredOn: string;

  @Field(() => PersonRef, { nullable: true })
  husband: PersonRef | null;

  @Field(() => PersonRef, { nullable: true })
  wife: PersonRef | null;

  @Field(() => Region, { nullable: true })
  region: Region | null;
}

@ObjectType()
export class MarriageRecordConnection {
  @Field(() => Int)
  totalCount: number;

  @Field(() => [MarriageRecord])
  nodes: MarriageRecord[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
