import { Arg, Authorized, Ctx, Field, Int, ObjectType, Query, Resolver } from "type-graphql";
import { Department } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { PersonRef } from "../../person/person.ref";
import { BirthCertificateRef } from "../birth-certificate.ref";
import { birthRegistrationFeed, inPopulationRegister } from "../reconciliation-feeds";
import { birthFeed, birthRegistrationsFor, daysBefore, hukouPersonFacts, minDate, reportPeriod, reportRegion, reportToday, requireDays } from "../report-platform";

@ObjectType({ description: "A birth another department recorded that population's register (全员人口) does not hold" })
export class BirthMissingFromRegister {
  @Field(() => BirthCertificateRef)
  birthCertificate: BirthCertificateRef;

  @Field(() => PersonRef, { nullable: true, description: "The child as registered in the hukou (落户); null when the birth has no 落户 yet" })
  child: PersonRef | null;

  @Field(() => [Department], { description: "The departments that recorded the birth: HEALTH (出生医学证明), PUBLIC_SECURITY (落户)" })
  recordedBy: Department[];
}

const PURPOSE = "对账报表：出生未录入全员人口库 (report: births missing from the population register)";

/**
 * Report 2 (DOMAIN.md §5, 瞒报/漏报; 卫生 × 公安 × 计生): births in [bornFrom, bornTo], more than `graceDays`
 * before `today`, that health (出生医学证明 of a mother in this county's hukou register; an inflow mother's child
 * is registered in her own county, the non-local births' report) or public-security (落户 of a child with hukou under the region) recorded, and whose child is not in
 * population's register — either because the child has no 落户 and so no identity the register could hold,
 * or because the clerks never entered the registered child. Only certificate numbers and pseudonymous ids cross.
 */
@Resolver()
export class BirthsMissingFromPopulationRegisterResolver {
  @Authorized("read:reports")
  @Query(() => [BirthMissingFromRegister], { description: "Births in health's certificates or police birth registrations missing from population's register (health × public-security × population)" })
  async birthsMissingFromPopulationRegister(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar) bornFrom: string,
    @Arg("bornTo", () => DateScalar) bornTo: string,
    @Arg("graceDays", () => Int, { defaultValue: 30, description: "Days the village clerk has to enter a birth" }) graceDays: number,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<BirthMissingFromRegister[]> {
    const region = reportRegion(regionCode);
    reportPeriod(bornFrom, bornTo, "bornTo");
    requireDays(graceDays, "graceDays", 365);
    const lastBirthDate = minDate(bornTo, daysBefore(reportToday(asOf), graceDays + 1));
    if (lastBirthDate < bornFrom) return [];
    // Only certificate numbers and parents' ids are needed: no personal field of the certificates is read (the
    // rows returned are references, whose fields come with the analyst's own grants and access log).
    const [births, policeBirths] = await Promise.all([
      birthFeed(ctx.caller, PURPOSE, region, bornFrom, lastBirthDate, {}, []),
      birthRegistrationFeed(ctx.caller, PURPOSE, region, bornFrom, lastBirthDate),
    ]);
    const motherIds = [...new Set(births.map((b) => b.motherId))];
    const registeredHere = new Map(policeBirths.map((r) => [r.certificateNumber, r.personId]));
    // The children the police registered here are looked up in population's register while public-security
    // is asked about the other certificates and the mothers.
    const [registrations, hukouMothers, registeredHereInRegister] = await Promise.all([
      birthRegistrationsFor(ctx.caller, PURPOSE, births.filter((b) => !registeredHere.has(b.certificateNumber)).map((b) => b.certificateNumber)),
      // Whether public-security holds the mother (its register and the jurisdiction): ids only, nothing personal.
      hukouPersonFacts(ctx.caller, PURPOSE, motherIds, []),
      inPopulationRegister(ctx, [...new Set(registeredHere.values())]),
    ]);
    const childOf = new Map([...registrations.map((r) => [r.certificateNumber, r.personId] as const), ...registeredHere]);
    const inRegister = new Set([
      ...registeredHereInRegister,
      ...(await inPopulationRegister(ctx, [...new Set(registrations.map((r) => r.personId))].filter((id) => !registeredHereInRegister.has(id)))),
    ]);
    const localMothers = new Set(hukouMothers.map((m) => m.id));
    const fromHealth = new Set(births.filter((b) => localMothers.has(b.motherId)).map((b) => b.certificateNumber));
    const rows = new Map<string, { child: string | null; recordedBy: Department[] }>();
    for (const certificateNumber of new Set([...fromHealth, ...registeredHere.keys()])) {
      const child = childOf.get(certificateNumber) ?? null;
      const recordedBy = [...(fromHealth.has(certificateNumber) ? [Department.HEALTH] : []), ...(child ? [Department.PUBLIC_SECURITY] : [])];
      rows.set(certificateNumber, { child, recordedBy });
    }
    return [...rows.entries()]
      .filter(([, row]) => !row.child || !inRegister.has(row.child))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([certificateNumber, row]) => ({ birthCertificate: { certificateNumber }, child: row.child ? { id: row.child } : null, recordedBy: row.recordedBy }));
  }
}
