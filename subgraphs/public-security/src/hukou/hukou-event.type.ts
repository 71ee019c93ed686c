import { Field, ObjectType, registerEnumType } from "type-graphql";
import { RegionRef } from "../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../shared/src/scalars";
import { PersonStatus } from "../person/person.enums";

export enum HukouEventKind {
  BIRTH_REGISTRATION = "BIRTH_REGISTRATION",
  MOVE_IN = "MOVE_IN",
  MOVE_OUT = "MOVE_OUT",
  CANCELLATION = "CANCELLATION",
}
registerEnumType(HukouEventKind, { name: "HukouEventKind", description: "出生登记, 迁入, 迁出, 注销" });

@ObjectType({ description: "One registration in a person's hukou history" })
export class HukouEvent {
  @Field(() => HukouEventKind)
  kind: HukouEventKind;

  @Field(() => DateScalar)
  on: string;

  @Field(() => RegionRef, { nullable: true, description: "Where the hukou was before (迁出地); null for a birth registration" })
  from: RegionRef | null;

  @Field(() => RegionRef, { nullable: true, description: "Where it is afterwards (迁入地); null for a cancellation" })
  to: RegionRef | null;

  @Field(() => PersonStatus, { nullable: true, description: "For a cancellation: why" })
  reason: PersonStatus | null;
}
