import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { normalizeRegionCode } from "../../../../shared/src/regions";
import type { CivilAffairsContext } from "../context";
import type { RegionRecord } from "./region.entity";
import { Region } from "./region.type";

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => Region, { nullable: true, description: "A division by code (2, 4, 6, 9 or 12 digits; 520000-style codes accepted)" })
  region(@Ctx() ctx: CivilAffairsContext, @Arg("code", () => ID) code: string): Promise<RegionRecord | null> {
    const normalized = normalizeRegionCode(code);
    if (normalized === null) throw badUserInput("code", "行政区划代码格式错误", "division code must have 2, 4, 6, 9 or 12 digits");
    return ctx.loaders.regionByCode.load(normalized);
  }

  @FieldResolver(() => Region, { nullable: true })
  parent(@Root() region: RegionRecord, @Ctx() ctx: CivilAffairsContext): Promise<RegionRecord | null> | null {
    return region.parentCode ? ctx.loaders.regionByCode.load(region.parentCode) : null;
  }

  @FieldResolver(() => [Region])
  children(@Root() region: RegionRecord, @Ctx() ctx: CivilAffairsContext): Promise<RegionRecord[]> {
    return ctx.loaders.regionChildren.load(region.code);
  }
}

export const regionReference = {
  __resolveReference(reference: { code: string }, ctx: CivilAffairsContext) {
    return ctx.loaders.regionByCode.load(reference.code);
  },
};
