import { Arg, Authorized, Ctx, Query, Resolver, registerEnumType } from "type-graphql";
import { IsNull, Like } from "typeorm";
import { canSeePerson } from "../../../../../shared/src/auth/authorize";
import { DateScalar } from "../../../../../shared/src/scalars";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import type { PopulationContext } from "../../context";
import { PersonRef } from "../../person/person.ref";
import { deathFeed, hukouPersonFacts, reportPeriod, reportRegion } from "../report-platform";

export enum UncancelledDeathReason {
  /** Civil-affairs registered the death; the person is still ACTIVE in public-security's register. */
  HUKOU_NOT_CANCELLED = "HUKOU_NOT_CANCELLED",
  /** The person is still on population's 奖扶/特扶 roster (an enrollment without an end). */
  STILL_ON_ROSTER = "STILL_ON_ROSTER",
}
registerEnumType(UncancelledDeathReason, { name: "UncancelledDeathReason" });

const PURPOSE = "对账报表：死亡未销户 (report: deaths whose hukou or roster entry is not cancelled)";

/**
 * Report 14 (DOMAIN.md §5; 户口登记条例 Art. 8): deaths registered by civil-affairs under a region, with the
 * death date in [from, to], whose hukou public-security has not cancelled, or who are still on population's
 * assistance roster. Civil-affairs gives the deaths (ids and dates), public-security the status of those ids.
 */
@Resolver()
export class UncancelledDeathsResolver {
  @Authorized("read:reports")
  @Query(() => [PersonRef], { description: "Registered deaths whose hukou is not cancelled, or who are still on a roster (civil-affairs × public-security × population)" })
  async uncancelledDeaths(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("from", () => DateScalar) from: string,
    @Arg("to", () => DateScalar) to: string,
    @Arg("reasons", () => [UncancelledDeathReason], {
      defaultValue: [UncancelledDeathReason.HUKOU_NOT_CANCELLED, UncancelledDeathReason.STILL_ON_ROSTER],
      description: "Which of the two findings to report (default both)",
    })
    reasons: UncancelledDeathReason[],
  ): Promise<PersonRef[]> {
    const region = reportRegion(regionCode);
    reportPeriod(from, to, "to");
    const deaths = await deathFeed(ctx.caller, PURPOSE, region, from, to);
    const ids = [...new Set(deaths.map((d) => d.personId))];
    const found = new Set<string>();
    if (reasons.includes(UncancelledDeathReason.HUKOU_NOT_CANCELLED)) {
      for (const person of await hukouPersonFacts(ctx.caller, PURPOSE, ids, ["status"])) if (person.status === "ACTIVE") found.add(person.id);
    }
    if (reasons.includes(UncancelledDeathReason.STILL_ON_ROSTER) && ids.length > 0) {
      // The open enrollments under the region (a roster, far smaller than the register), in one statement.
      const dead = new Set(ids);
      const open = await ctx.db.dataSource.getRepository(AssistanceEnrollmentRecord).find({
        select: { personId: true, regionCode: true },
        where: { until: IsNull(), regionCode: Like(`${region}%`) },
      });
      for (const e of open) if (dead.has(e.personId) && canSeePerson(ctx.caller, e.personId, e.regionCode ?? region)) found.add(e.personId);
    }
    return [...found].sort().map((id) => ({ id }));
  }
}
