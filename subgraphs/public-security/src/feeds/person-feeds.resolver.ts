import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { jurisdictionPrefix } from "../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../shared/src/errors";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { nextDay, reportDay, requireReportRegion, yearsBefore } from "../../../../shared/src/report-arguments";
import { requireServiceCaller } from "../../../../shared/src/feeds";
import type { PublicSecurityContext } from "../context";
import { PersonRecord } from "../person/person.entity";
import { Person, PersonFilter } from "../person/person.type";
import { requireDateOrder } from "../../../../shared/src/validation";
import { DateScalar } from "../../../../shared/src/scalars";

@ObjectType({ description: "Women aged 15–49 (育龄妇女) with an ACTIVE hukou in one town, on a day" })
export class WomenOfChildbearingAge {
  @Field(() => RegionRef, { nullable: true })
  region: RegionRef | null;

  @Field(() => Int)
  women: number;
}

@Resolver()
export class PersonFeedResolver {
  /**
   * For department services only: the persons with these ids, as Person entities, so that one request (and one
   * batched entity fetch per department behind the gateway) answers a report about many people. Ids outside the
   * caller's jurisdiction or unknown here are left out. Personal fields are logged like any read.
   */
  @Query(() => [Person], { description: "Service identities only: the persons with these ids (unknown or out of jurisdiction: left out)" })
  async peopleByIds(@Ctx() ctx: PublicSecurityContext, @Arg("ids", () => [ID]) ids: string[]): Promise<PersonRecord[]> {
    requireServiceCaller(ctx.caller, "peopleByIds");
    if (ids.length > SERVICE_MAX_PAGE_SIZE) throw badUserInput("ids", `一次最多 ${SERVICE_MAX_PAGE_SIZE} 个`, `at most ${SERVICE_MAX_PAGE_SIZE} ids at once`);
    const found = await ctx.loaders.personById.loadMany([...new Set(ids)]);
    return found.filter((p): p is PersonRecord => !!p && !(p instanceof Error));
  }

  /**
   * For department services only: the ids (pseudonyms, no personal field) of the persons matching a filter, in one
   * answer and one SQL statement. A report screens a whole county with it (e.g. ACTIVE rural persons born in a range)
   * where paging `people` would cost a count and a scan per page; only the persons it then decides on are read.
   */
  @Query(() => [ID], { description: "Service identities only: ids of the persons matching the filter (regionCode required)" })
  async personIdsMatching(@Ctx() ctx: PublicSecurityContext, @Arg("filter", () => PersonFilter) filter: PersonFilter): Promise<string[]> {
    return idsMatching(ctx, filter, "personIdsMatching");
  }

  /**
   * The same ids joined by commas. A county-wide screen matches tens of thousands of persons (奖扶's screen of the
   * 330,000-person bench county: 41,387); as list items the gateway merges, checks and re-serialises each one, as
   * one string it passes them on in one piece.
   */
  @Query(() => String, { description: "Service identities only: the ids personIdsMatching answers, joined by commas (\"\" when none)" })
  async packedPersonIdsMatching(@Ctx() ctx: PublicSecurityContext, @Arg("filter", () => PersonFilter) filter: PersonFilter): Promise<string> {
    return (await idsMatching(ctx, filter, "packedPersonIdsMatching")).join(",");
  }

  /** 育龄妇女 by town: counted in this department's own register (it owns persons), so nothing personal crosses. */
  @Authorized("read:reports")
  @Query(() => [WomenOfChildbearingAge], { description: "Women aged 15–49 with an ACTIVE hukou, by town (9 digits), on `asOf` (default today)" })
  async womenOfChildbearingAge(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("regionCode") regionCode: string,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<WomenOfChildbearingAge[]> {
    const region = requireReportRegion(regionCode);
    const day = reportDay(asOf);
    // Aged 15..49 on `day`: born after the day 50 years before and on or before the day 15 years before.
    const bornFrom = nextDay(yearsBefore(day, 50));
    const bornTo = yearsBefore(day, 15);
    const query = ctx.db.dataSource
      .getRepository(PersonRecord)
      .createQueryBuilder("p")
      .select("SUBSTR(p.hukouRegionCode, 1, 9)", "town")
      .addSelect("COUNT(*)", "women")
      .where("p.hukouRegionCode LIKE :region", { region: `${region}%` })
      .andWhere("p.sex = 'FEMALE'")
      .andWhere("p.status = 'ACTIVE'")
      .andWhere("p.birthDate >= :bornFrom AND p.birthDate <= :bornTo", { bornFrom, bornTo })
      .groupBy("SUBSTR(p.hukouRegionCode, 1, 9)")
      .orderBy("town", "ASC");
    const prefix = jurisdictionPrefix(ctx.caller);
    if (ctx.caller.dept === "citizen") return [];
    if (prefix) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${prefix}%` });
    const rows = await query.getRawMany<{ town: string; women: string | number }>();
    return rows.map((r) => ({ region: regionRef(r.town), women: Number(r.women) }));
  }
}

/** The ids of the persons matching a filter in the caller's jurisdiction: one statement, no personal field. */
async function idsMatching(ctx: PublicSecurityContext, filter: PersonFilter, field: string): Promise<string[]> {
  requireServiceCaller(ctx.caller, field);
  if (filter.regionCode == null) throw badUserInput("filter.regionCode", "须指定地区", "is required");
  const region = requireReportRegion(filter.regionCode, "filter.regionCode");
  requireDateOrder(filter.bornFrom, filter.bornTo, "filter.bornTo");
  const query = ctx.db.dataSource.getRepository(PersonRecord).createQueryBuilder("p").select("p.id", "id").where("p.hukouRegionCode LIKE :region", { region: `${region}%` });
  const prefix = jurisdictionPrefix(ctx.caller);
  if (prefix) query.andWhere("p.hukouRegionCode LIKE :jurisdiction", { jurisdiction: `${prefix}%` });
  if (filter.sex) query.andWhere("p.sex = :sex", { sex: filter.sex });
  if (filter.status) query.andWhere("p.status = :status", { status: filter.status });
  if (filter.hukouType) query.andWhere("p.hukouType = :hukouType", { hukouType: filter.hukouType });
  if (filter.bornFrom) query.andWhere("p.birthDate >= :bornFrom", { bornFrom: filter.bornFrom });
  if (filter.bornTo) query.andWhere("p.birthDate <= :bornTo", { bornTo: filter.bornTo });
  return (await query.getRawMany<{ id: string }>()).map((r) => r.id);
}
