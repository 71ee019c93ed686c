import { Field, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../../../../../shared/src/scalars";
import { CareVisitKind } from "../../care-visit/care-visit.enums";
import { PersonRef } from "../../person/person.ref";

@ObjectType({ description: "A family on the 走访慰问 list (计生特殊家庭, 计生两户) with its 低保 / 特困 status from civil-affairs" })
export class CareVisitListEntry {
  @Field(() => PersonRef, { nullable: true, description: "The person the family's file is kept under" })
  person: PersonRef | null;

  @Field(() => [CareVisitKind], { description: "Why the family is on the list (the kinds of its visits; 特扶 families count as special families)" })
  kinds: CareVisitKind[];

  @Field(() => Int)
  visits: number;

  @Field(() => DateScalar, { nullable: true, description: "The last visit; null = never visited" })
  lastVisitedOn: string | null;

  @Field({ description: "On 低保 or 特困供养 on `asOf` (civil-affairs)" })
  onRelief: boolean;

  @Field(() => [String], { description: "The relief programmes running on `asOf` (农村低保, 城市低保, 特困供养)" })
  reliefPrograms: string[];
}
