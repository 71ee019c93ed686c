import { Directive, Field, ID, ObjectType } from "type-graphql";
import { RegionLevel as RegionLevelEnum } from "../../../../shared/src/graphql/common";
import type { RegionLevel } from "../../../../shared/src/regions";

@Directive('@key(fields: "code")')
@ObjectType({ description: "行政区划: province, city, county (GB/T 2260), town and village (NBS codes)" })
export class Region {
  @Field(() => ID, { description: "Division code; a code is the prefix of all its descendants' codes" })
  code: string;

  @Field()
  name: string;

  @Field(() => RegionLevelEnum)
  level: RegionLevel;
}
