import { Arg, Authorized, Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { ageOn } from "../../../../../shared/src/auth/authorize";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { PersonRef } from "../../person/person.ref";
import { BirthCertificateRef } from "../birth-certificate.ref";
import { birthFeed, hukouPersonFacts, maritalStatusesFor, reportPeriod, reportRegion } from "../report-platform";

export enum MotherFinding {
  /** The mother was under 20 on the day of the birth (the legal marriage age for women, 民法典 Art. 1047). */
  UNDER_20 = "UNDER_20",
  /** Civil-affairs holds no marriage registration of the mother made on or before the day of the birth. */
  NO_MARRIAGE_REGISTRATION = "NO_MARRIAGE_REGISTRATION",
}
registerEnumType(MotherFinding, { name: "MotherFinding" });

/** The legal marriage age of women (婚姻法 Art. 6; 民法典 Art. 1047). */
const WOMEN_MARRIAGE_AGE = 20;

@ObjectType({ description: "A birth whose mother was under 20, or had no marriage registration, at the birth" })
export class MotherFindingRow {
  @Field(() => BirthCertificateRef)
  birthCertificate: BirthCertificateRef;

  @Field(() => PersonRef)
  mother: PersonRef;

  @Field(() => [MotherFinding], { description: "Every finding for this birth" })
  reasons: MotherFinding[];
}

const PURPOSE = "对账报表：低龄或未登记结婚的母亲 (report: mothers under 20 or without a marriage registration)";

/**
 * Report 8 (DOMAIN.md §5, 卫生 × 民政 × 公安): births in [bornFrom, bornTo] to mothers living under the region
 * and in this county's hukou register, where the mother was under 20 at the birth (her birth date from
 * public-security) or had no marriage registered on or before it (civil-affairs). Health gives the births,
 * public-security the mothers' birth dates, civil-affairs their first marriage dates: only ids and dates cross.
 * Mothers outside the hukou register (inflow migrants) are left out: their ages and marriages are recorded
 * in another county.
 */
@Resolver()
export class MothersUnderageOrUnmarriedResolver {
  @Authorized("read:reports")
  @Query(() => [MotherFindingRow], { description: "Births to mothers under 20 or without a marriage registration at the birth (health × civil-affairs × public-security)" })
  async mothersUnderageOrUnmarried(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar) bornFrom: string,
    @Arg("bornTo", () => DateScalar) bornTo: string,
  ): Promise<MotherFindingRow[]> {
    const region = reportRegion(regionCode);
    reportPeriod(bornFrom, bornTo, "bornTo");
    // Only the facts the rules read: the birth's date, the mother's birth date and first marriage.
    const births = await birthFeed(ctx.caller, PURPOSE, region, bornFrom, bornTo, {}, ["birthDate"]);
    const motherIds = [...new Set(births.map((b) => b.motherId))];
    const [mothers, marriages] = await Promise.all([hukouPersonFacts(ctx.caller, PURPOSE, motherIds, ["birthDate"]), maritalStatusesFor(ctx.caller, PURPOSE, motherIds)]);
    const birthDateOf = new Map(mothers.map((m) => [m.id, m.birthDate]));
    const marriedOn = new Map(marriages.map((m) => [m.personId, m.firstMarriedOn]));
    const rows: MotherFindingRow[] = [];
    for (const birth of births) {
      const motherBorn = birthDateOf.get(birth.motherId);
      if (!motherBorn) continue;
      const reasons: MotherFinding[] = [];
      if (ageOn(motherBorn, birth.birthDate) < WOMEN_MARRIAGE_AGE) reasons.push(MotherFinding.UNDER_20);
      const married = marriedOn.get(birth.motherId);
      if (!married || married > birth.birthDate) reasons.push(MotherFinding.NO_MARRIAGE_REGISTRATION);
      if (reasons.length > 0) rows.push({ birthCertificate: { certificateNumber: birth.certificateNumber }, mother: { id: birth.motherId }, reasons });
    }
    return rows.sort((a, b) => (a.birthCertificate.certificateNumber < b.birthCertificate.certificateNumber ? -1 : 1));
  }
}
