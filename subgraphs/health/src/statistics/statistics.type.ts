import { Field, Float, Int, ObjectType } from "type-graphql";
import { RegionRef } from "../../../../shared/src/graphql/common";

@ObjectType({ description: "Live births by sex in one region and year (出生人口性别比), always with the counts" })
export class SexRatio {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int)
  year: number;

  @Field(() => Int, { nullable: true, description: "孩次; null = all birth orders" })
  birthOrder: number | null;

  @Field(() => Int)
  male: number;

  @Field(() => Int)
  female: number;

  @Field(() => Float, { nullable: true, description: "male / female × 100; null when suppressed (too few births) or no girls" })
  ratio: number | null;

  @Field({ description: "Fewer births than SEX_RATIO_MIN_BIRTHS (default 100): the ratio is not published" })
  suppressed: boolean;

  @Field({ description: "A published ratio outside the normal range 103–107" })
  outsideNormalRange: boolean;
}

@ObjectType({ description: "孕前优生健康检查 made in a year against the towns' targets" })
export class Coverage {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int)
  year: number;

  @Field(() => Int, { description: "Sum of the towns' yearly targets (pre_pregnancy_check_target)" })
  target: number;

  @Field(() => Int, { description: "Checks made in the year (one per couple and planned child)" })
  completed: number;

  @Field(() => Float, { description: "completed / target × 100 (per cent of the task; 0 when no target is set)" })
  rate: number;
}
