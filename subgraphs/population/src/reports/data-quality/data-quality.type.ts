import { Field, Int, ObjectType } from "type-graphql";
import { Department, RegionRef } from "../../../../../shared/src/graphql/common";
import { PersonRef } from "../../person/person.ref";

@ObjectType({ description: "One rule of the logic audit (居不漏户、户不漏人、人不漏项)" })
export class DataQualityRule {
  @Field({ description: 'e.g. "ID checksum", "birth date differs from ID number"' })
  rule: string;

  @Field({ description: "A stable name for the rule: idChecksum, birthDateMismatch, sexMismatch, emptyRequiredFields, registerEmptyRequiredFields, maritalStatusMismatch, missingFromPopulationRegister, missingFromHukou" })
  code: string;

  @Field(() => [Department], { description: "The departments whose records disagree (or whose record is missing)" })
  departments: Department[];

  @Field(() => Int)
  violations: number;

  @Field(() => [PersonRef], { description: "Up to `samples` of the persons concerned, by id" })
  samples: PersonRef[];
}

@ObjectType({ description: "The logic audit of one region" })
export class DataQualityReport {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int, { description: "Persons checked: those of the hukou register under the region, and those only population's register holds" })
  checkedPersons: number;

  @Field(() => [DataQualityRule])
  rules: DataQualityRule[];
}
