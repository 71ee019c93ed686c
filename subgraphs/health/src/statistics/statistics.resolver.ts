import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { jurisdictionPrefix } from "../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../shared/src/errors";
import { RegionLevel, regionRef } from "../../../../shared/src/graphql/common";
import { allRegions } from "../../../../shared/src/regions";
import { requireReportRegion, requireReportYear } from "../../../../shared/src/report-arguments";
import { BirthCertificateRecord } from "../birth-certificate/birth-certificate.entity";
import type { HealthContext } from "../context";
import { PrePregnancyCheckTargetRecord } from "../pre-pregnancy-check/pre-pregnancy-check-target.entity";
import { PrePregnancyCheckRecord } from "../pre-pregnancy-check/pre-pregnancy-check.entity";
import { coverageRate, sexRatioOf } from "./statistics";
import { Coverage, SexRatio } from "./statistics.type";

/** Digits of a division code at each level (a certificate's region is the mother's 12-digit village). */
const CODE_LENGTH: Partial<Record<RegionLevel, number>> = { [RegionLevel.COUNTY]: 6, [RegionLevel.TOWN]: 9, [RegionLevel.VILLAGE]: 12 };

/**
 * The division codes under a prefix. Every certificate's region passed requireRecordRegionCode against the same
 * division list, so `regionCode IN (these)` selects exactly what `LIKE prefix%` does, and lets the database use
 * the (regionCode, birthDate) index as one small range per village instead of scanning the whole county.
 */
function codesUnder(prefix: string): string[] {
  return allRegions()
    .filter((r) => r.code.startsWith(prefix))
    .map((r) => r.code);
}

function yearRange(year: number): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/**
 * Vital statistics (DOMAIN.md §5 report 3 and the coverage of report 7) computed where the records are: one
 * GROUP BY in health's own database, so only counts cross the department's boundary, never a birth.
 */
@Resolver()
export class StatisticsResolver {
  @Authorized("read:reports")
  @Query(() => [SexRatio], { description: "出生人口性别比 by region, for a year and optionally one birth order (孩次), with n" })
  async sexRatioAtBirth(
    @Ctx() ctx: HealthContext,
    @Arg("regionCode") regionCode: string,
    @Arg("year", () => Int) year: number,
    @Arg("groupBy", () => RegionLevel, { nullable: true, defaultValue: RegionLevel.TOWN }) groupBy: RegionLevel,
    @Arg("birthOrder", () => Int, { nullable: true }) birthOrder?: number | null,
  ): Promise<SexRatio[]> {
    const region = requireReportRegion(regionCode);
    requireReportYear(year);
    const length = CODE_LENGTH[groupBy ?? RegionLevel.TOWN];
    if (!length || length < region.length) {
      throw badUserInput("groupBy", "须为 COUNTY、TOWN 或 VILLAGE，且不高于 regionCode 的级别", "must be COUNTY, TOWN or VILLAGE, not above the level of regionCode");
    }
    if (birthOrder != null && (!Number.isInteger(birthOrder) || birthOrder < 1 || birthOrder > 20)) {
      throw badUserInput("birthOrder", "孩次须在 1 到 20 之间", "must be between 1 and 20");
    }
    if (ctx.caller.dept === "citizen") return [];
    const { from, to } = yearRange(year);
    const group = `SUBSTR(b.regionCode, 1, ${length})`;
    const query = ctx.db.dataSource
      .getRepository(BirthCertificateRecord)
      .createQueryBuilder("b")
      .select(group, "code")
      .addSelect("SUM(CASE WHEN b.sex = 'MALE' THEN 1 ELSE 0 END)", "male")
      .addSelect("SUM(CASE WHEN b.sex = 'FEMALE' THEN 1 ELSE 0 END)", "female")
      .where("b.regionCode IN (:...codes)", { codes: codesUnder(region) })
      .andWhere("b.birthDate >= :from AND b.birthDate <= :to", { from, to })
      .groupBy(group)
      .orderBy("code", "ASC");
    const prefix = jurisdictionPrefix(ctx.caller);
    if (prefix) query.andWhere("b.regionCode LIKE :jurisdiction", { jurisdiction: `${prefix}%` });
    if (birthOrder != null) query.andWhere("b.birthOrder = :birthOrder", { birthOrder });
    const rows = await query.getRawMany<{ code: string; male: string | number; female: string | number }>();
    return rows.map((r) => {
      const male = Number(r.male);
      const female = Number(r.female);
      return { region: regionRef(r.code), year, birthOrder: birthOrder ?? null, male, female, ...sexRatioOf(male, female) };
    });
  }

  @Authorized("read:reports")
  @Query(() => Coverage, { description: "孕前优生健康检查 made in the year under regionCode against the sum of its towns' targets" })
  async prePregnancyCheckCoverage(
    @Ctx() ctx: HealthContext,
    @Arg("regionCode") regionCode: string,
    @Arg("year", () => Int) year: number,
  ): Promise<Coverage> {
    const region = requireReportRegion(regionCode);
    requireReportYear(year);
    const [row] = await this.coverage(ctx, region, year, region.length);
    return row ?? { region: regionRef(region), year, target: 0, completed: 0, rate: 0 };
  }

  @Authorized("read:reports")
  @Query(() => [Coverage], { description: "The same coverage for each town (9 digits) under regionCode that has a target or a check" })
  async prePregnancyCheckCoverageByTown(
    @Ctx() ctx: HealthContext,
    @Arg("regionCode") regionCode: string,
    @Arg("year", () => Int) year: number,
  ): Promise<Coverage[]> {
    const region = requireReportRegion(regionCode);
    requireReportYear(year);
    if (region.length > 9) throw badUserInput("regionCode", "须为乡镇或更高级别的代码", "must be a town code or a higher level");
    return this.coverage(ctx, region, year, 9);
  }

  /** Targets and checks grouped by the first `length` digits of their region (a town's target covers its villages). */
  private async coverage(ctx: HealthContext, region: string, year: number, length: number): Promise<Coverage[]> {
    if (ctx.caller.dept === "citizen") return [];
    const prefix = jurisdictionPrefix(ctx.caller);
    const inside = (code: string) => code.startsWith(region) && (!prefix || code.startsWith(prefix));
    const { from, to } = yearRange(year);
    const checks = ctx.db.dataSource
      .getRepository(PrePregnancyCheckRecord)
      .createQueryBuilder("c")
      .select(`SUBSTR(c.regionCode, 1, ${length})`, "code")
      .addSelect("COUNT(*)", "n")
      .where("c.regionCode LIKE :region", { region: `${region}%` })
      .andWhere("c.checkedOn >= :from AND c.checkedOn <= :to", { from, to })
      .groupBy(`SUBSTR(c.regionCode, 1, ${length})`);
    const targets = ctx.db.dataSource
      .getRepository(PrePregnancyCheckTargetRecord)
      .createQueryBuilder("t")
      .select(`SUBSTR(t.townCode, 1, ${length})`, "code")
      .addSelect("SUM(t.target)", "n")
      .where("t.townCode LIKE :region", { region: `${region}%` })
      .andWhere("t.year = :year", { year })
      .groupBy(`SUBSTR(t.townCode, 1, ${length})`);
    const [done, planned] = await Promise.all([checks.getRawMany<{ code: string; n: string | number }>(), targets.getRawMany<{ code: string; n: string | number }>()]);
    const byCode = new Map<string, { target: number; completed: number }>();
    for (const r of planned) if (inside(r.code)) byCode.set(r.code, { target: Number(r.n), completed: 0 });
    for (const r of done) {
      if (!inside(r.code)) continue;
      const entry = byCode.get(r.code) ?? { target: 0, completed: 0 };
      entry.completed = Number(r.n);
      byCode.set(r.code, entry);
    }
    return [...byCode.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, { target, completed }]) => ({ region: regionRef(code), year, target, completed, rate: coverageRate(completed, target) }));
  }
}
