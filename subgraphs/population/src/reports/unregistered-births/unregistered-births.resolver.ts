import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { BirthCertificateRef } from "../birth-certificate.ref";
import { birthsAfterMotherLeft } from "../reconciliation-feeds";
import { birthFeed, birthRegistrationsFor, daysBefore, hukouPersonFacts, minDate, reportPeriod, reportRegion, reportToday, requireDays } from "../report-platform";

const PURPOSE = "对账报表：出生未落户 (report: births not registered in the hukou)";

/**
 * Report 1 (DOMAIN.md §5; 户口登记条例 Art. 7: a birth is registered within a month): 出生医学证明 of mothers in
 * this county's hukou register, born in [bornFrom, bornTo] and more than `graceDays` days before `today`,
 * with no 落户 made from them. Health gives the births, public-security says which were registered and
 * which mothers it holds; only certificate numbers and pseudonymous ids cross, except for the few overdue births
 * whose mother's hukou had left this register by the day of the birth (birthsAfterMotherLeft: her hukou's
 * leaving and the birth date are read, and logged, for those only): they are left out, the child being
 * registered where her hukou went (report 10 lists them).
 */
@Resolver()
export class UnregisteredBirthsResolver {
  @Authorized("read:reports")
  @Query(() => [BirthCertificateRef], { description: "Birth certificates with no 落户 after the grace period (health × public-security), by certificate number" })
  async unregisteredBirths(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar) bornFrom: string,
    @Arg("bornTo", () => DateScalar) bornTo: string,
    @Arg("graceDays", () => Int, { defaultValue: 30 }) graceDays: number,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<BirthCertificateRef[]> {
    const region = reportRegion(regionCode);
    reportPeriod(bornFrom, bornTo, "bornTo");
    requireDays(graceDays, "graceDays", 365);
    const day = reportToday(asOf);
    // Overdue: born more than graceDays days before today.
    const lastBirthDate = minDate(bornTo, daysBefore(day, graceDays + 1));
    if (lastBirthDate < bornFrom) return [];
    // Only certificate numbers and mothers' ids are needed: no personal field of the certificates is read.
    const births = await birthFeed(ctx.caller, PURPOSE, region, bornFrom, lastBirthDate, {}, []);
    const [registrations, mothers] = await Promise.all([
      birthRegistrationsFor(ctx.caller, PURPOSE, births.map((b) => b.certificateNumber)),
      hukouPersonFacts(ctx.caller, PURPOSE, [...new Set(births.map((b) => b.motherId))], []),
    ]);
    const registered = new Set(registrations.map((r) => r.certificateNumber));
    const localMothers = new Set(mothers.map((m) => m.id));
    const overdue = births.filter((b) => localMothers.has(b.motherId) && !registered.has(b.certificateNumber));
    // A mother whose hukou had left before the birth registers the child where it went (report 10's birth, not this one's).
    const registeredElsewhere = await birthsAfterMotherLeft(ctx.caller, PURPOSE, overdue, [...new Set(overdue.map((b) => b.motherId))]);
    return overdue
      .filter((b) => !registeredElsewhere.has(b.certificateNumber))
      .map((b) => ({ certificateNumber: b.certificateNumber }))
      .sort((a, b) => (a.certificateNumber < b.certificateNumber ? -1 : 1));
  }
}
