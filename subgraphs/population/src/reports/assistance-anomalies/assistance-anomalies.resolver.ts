import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { reportDay, requireReportRegion } from "../../../../../shared/src/report-arguments";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import type { PopulationContext } from "../../context";
import { In } from "typeorm";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { SocialMaintenanceFeeRecord } from "../../social-maintenance-fee/social-maintenance-fee.entity";
import { passingChildrenTest, rewardScreen } from "../assistance-candidates/assistance-candidates.resolver";
import { assessEligibility, chunks, ELIGIBILITY_PURPOSE, enrolledOn } from "../eligibility/eligibility.service";
import { Eligibility } from "../eligibility/eligibility.type";
import { DateScalar } from "../../../../../shared/src/scalars";

const DEATHS = `query RosterDeaths($ids: [ID!]!) { deathRegisteredAmong(ids: $ids) }`;

/**
 * The 奖扶 recipients who may fail a rule, found without reading anyone's personal fields: public-security's screen
 * (ids only), civil-affairs' registered deaths among the recipients (ids only), population's own children count
 * and fee decisions. Only these are then assessed in full (and their facts read and logged): PIPL Art. 6.
 */
async function rewardFailures(ctx: PopulationContext, region: string, day: string, enrolled: string[]): Promise<string[]> {
  const [screened, children] = await Promise.all([rewardScreen(ctx, region, day), passingChildrenTest(ctx, enrolled)]);
  const passPs = new Set(screened);
  const dead = new Set<string>();
  const fees = new Set<string>();
  for (const part of chunks(enrolled, SERVICE_MAX_PAGE_SIZE)) {
    const data = await queryPlatform<{ deathRegisteredAmong: string[] }>("population", ctx.caller, ELIGIBILITY_PURPOSE, DEATHS, { ids: part });
    for (const id of data.deathRegisteredAmong) dead.add(id);
    const rows = await ctx.db.dataSource.getRepository(SocialMaintenanceFeeRecord).find({
      where: [{ motherPersonId: In(part) }, { fatherPersonId: In(part) }],
      select: { id: true, motherPersonId: true, fatherPersonId: true },
    });
    for (const f of rows) for (const id of [f.motherPersonId, f.fatherPersonId]) if (id) fees.add(id);
  }
  return enrolled.filter((id) => !passPs.has(id) || dead.has(id) || !children.has(id) || fees.has(id));
}

/**
 * DOMAIN.md §5 report 6 (and the roster side of 5): people on a programme's roster who do not qualify on the day,
 * the dead still being paid first among them (their "no death registered" or "hukou active" fact fails).
 * The roster is population's own; everyone on it is assessed, in one batched platform read per page.
 */
@Resolver()
export class AssistanceAnomaliesResolver {
  @Authorized("read:reports")
  @Query(() => [Eligibility], { description: "Enrolled in the programme on `asOf` (default today) but not eligible, the deceased included, in a region" })
  async assistanceAnomalies(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("program", () => AssistanceProgram) program: AssistanceProgram,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<Eligibility[]> {
    const region = requireReportRegion(regionCode);
    const day = reportDay(asOf);
    const query = ctx.db.dataSource
      .getRepository(AssistanceEnrollmentRecord)
      .createQueryBuilder("e")
      .where("e.regionCode LIKE :region", { region: `${region}%` })
      .andWhere("e.program = :program", { program })
      .andWhere("e.since <= :day", { day })
      .andWhere("(e.until IS NULL OR e.until >= :day)", { day });
    if (ctx.caller.region) query.andWhere("e.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    if (ctx.caller.dept === "citizen") return [];
    const enrolled = [...new Set((await query.getMany()).filter((e) => enrolledOn(e, day)).map((e) => e.personId))];
    const decide = program === AssistanceProgram.REWARD_ASSISTANCE ? await rewardFailures(ctx, region, day, enrolled) : enrolled;
    const assessed = await assessEligibility(ctx, decide, [program], day);
    return assessed.filter((e) => e.enrolled && !e.eligible).sort((a, b) => (a.person!.id < b.person!.id ? -1 : 1));
  }
}
