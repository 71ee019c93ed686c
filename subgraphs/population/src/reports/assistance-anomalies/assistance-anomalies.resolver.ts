import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { reportDay, requireReportRegion } from "../../../../../shared/src/report-arguments";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import type { PopulationContext } from "../../context";
import { assessEligibility, enrolledOn } from "../eligibility/eligibility.service";
import { Eligibility } from "../eligibility/eligibility.type";

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
    @Arg("asOf", () => String, { nullable: true }) asOf?: string | null,
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
    const enrolled = (await query.getMany()).filter((e) => enrolledOn(e, day)).map((e) => e.personId);
    const assessed = await assessEligibility(ctx, enrolled, [program], day);
    return assessed.filter((e) => e.enrolled && !e.eligible).sort((a, b) => (a.person!.id < b.person!.id ? -1 : 1));
  }
}
