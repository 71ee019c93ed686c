import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { visibleIdNumber } from "../../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../../shared/src/errors";
import { reportDay, requireReportRegion, requireReportYear } from "../../../../../shared/src/report-arguments";
import type { PopulationContext } from "../../context";
import { MigrationRecord } from "../../migrant/migrant-record.entity";
import { MigrationDirection } from "../../migrant/migrant.enums";
import { MigrantRecord } from "../../migrant/migrant-record.type";
import { ageOn } from "../eligibility/eligibility.rules";
import { daysAfter, daysBetween, hukouPersonFacts } from "../report-platform";
import { LateCertificateSubmission, MigrantCount } from "./migrants.type";
import { regionRef } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";

/** 流动人口计划生育工作条例 (2009): Art. 7 the certificate for women 18–49 before leaving; Art. 8 submitted within 30 days. */
export const CERTIFICATE_AGE = { from: 18, to: 49 } as const;
export const SUBMISSION_DAYS = 30;
const MIGRANT_PURPOSE = "流动人口婚育证明核查 (migrant marriage-and-fertility certificates, 条例 Arts. 7–8)";

/** A 婚育证明 that covers the move: numbered, issued on or before the move and still valid on that day. */
export function validCertificateOnMove(m: Pick<MigrationRecord, "certificateNumber" | "certificateIssuedOn" | "certificateValidUntil" | "movedOn">): boolean {
  return !!m.certificateNumber && !!m.certificateIssuedOn && !!m.certificateValidUntil && m.certificateIssuedOn <= m.movedOn && m.certificateValidUntil >= m.movedOn;
}

function regionQuery(ctx: PopulationContext, column: "fromRegionCode" | "toRegionCode", region: string, direction: MigrationDirection) {
  const query = ctx.db.dataSource
    .getRepository(MigrationRecord)
    .createQueryBuilder("m")
    .where(`m.${column} LIKE :region`, { region: `${region}%` })
    .andWhere("m.direction = :direction", { direction });
  if (ctx.caller.dept === "citizen") query.andWhere("1 = 0");
  else if (ctx.caller.region) query.andWhere(`m.${column} LIKE :jurisdiction`, { jurisdiction: `${ctx.caller.region}%` });
  return query;
}

/** DOMAIN.md §5 report 9: 婚育证明 of outflow and inflow women, and the moves by town and year. */
@Resolver()
export class MigrantReportsResolver {
  /**
   * Outflow (流出) records of the region with no valid 婚育证明 are population's own; only for those few does
   * public-security's register say whether the person is a woman of 18–49 on the day she left.
   */
  @Authorized("read:reports")
  @Query(() => [MigrantRecord], { description: "Outflow women aged 18–49 on the day they left the region without a valid 婚育证明" })
  async migrantsWithoutCertificate(@Ctx() ctx: PopulationContext, @Arg("regionCode") regionCode: string): Promise<MigrationRecord[]> {
    const region = requireReportRegion(regionCode);
    const inAgeRange = (birthDate: string, movedOn: string) => {
      const age = ageOn(birthDate, movedOn);
      return age >= CERTIFICATE_AGE.from && age <= CERTIFICATE_AGE.to;
    };
    // The record's own sex and birth date (copied from the ID card when the move was recorded) narrow the list to
    // the women it may concern; public-security's register, the authority, then decides for those only. The
    // certificate rule (validCertificateOnMove) is also written in SQL, so only the moves without a valid
    // certificate leave the database (a county has tens of thousands of moves, most of them covered).
    const screened = await regionQuery(ctx, "fromRegionCode", region, MigrationDirection.OUTFLOW)
      .andWhere("(m.sex IS NULL OR m.sex = 'FEMALE')")
      .andWhere(
        "NOT (m.certificateNumber IS NOT NULL AND m.certificateNumber <> '' AND m.certificateIssuedOn IS NOT NULL AND m.certificateValidUntil IS NOT NULL" +
          " AND m.certificateIssuedOn <= m.movedOn AND m.certificateValidUntil >= m.movedOn)",
      )
      .orderBy("m.id", "ASC")
      .getMany();
    const records = screened.filter((m) => !validCertificateOnMove(m) && (m.birthDate === null || inAgeRange(m.birthDate, m.movedOn)));
    // Only the facts the rule needs, from public-security's register (logged there for these persons only).
    const facts = new Map((await hukouPersonFacts(ctx.caller, MIGRANT_PURPOSE, [...new Set(records.map((m) => m.personId))], ["sex", "birthDate"])).map((f) => [f.id, f]));
    return records.filter((m) => {
      const identity = facts.get(m.personId);
      return !!identity && identity.sex === "FEMALE" && inAgeRange(identity.birthDate, m.movedOn);
    });
  }

  /** Inflow (流入) women are in no hukou register here: the record's own identity columns decide (population's data only). */
  @Authorized("read:reports")
  @Query(() => [LateCertificateSubmission], {
    description: "Inflow women aged 18–49 on the move whose 婚育证明 came in more than `days` (default 30) days after it, or not at all by `asOf`",
  })
  async migrantCertificatesSubmittedLate(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
    @Arg("days", () => Int, { nullable: true, defaultValue: SUBMISSION_DAYS }) days?: number | null,
  ): Promise<LateCertificateSubmission[]> {
    const region = requireReportRegion(regionCode);
    const day = reportDay(asOf);
    const allowed = days ?? SUBMISSION_DAYS;
    if (!Number.isInteger(allowed) || allowed < 0 || allowed > 366) throw badUserInput("days", "天数须在 0 到 366 之间", "must be between 0 and 366");
    const records = await regionQuery(ctx, "toRegionCode", region, MigrationDirection.INFLOW)
      .andWhere("m.sex = 'FEMALE'")
      .andWhere("m.movedOn <= :day", { day })
      .orderBy("m.id", "ASC")
      .getMany();
    const late: LateCertificateSubmission[] = [];
    for (const m of records) {
      if (!m.birthDate || !m.idNumber) continue;
      const age = ageOn(m.birthDate, m.movedOn);
      if (age < CERTIFICATE_AGE.from || age > CERTIFICATE_AGE.to) continue;
      const submitted = m.submittedAtDestinationOn !== null && m.submittedAtDestinationOn <= day;
      const after = daysBetween(m.movedOn, submitted ? m.submittedAtDestinationOn! : day);
      if (after <= allowed) continue;
      late.push({ record: m as unknown as MigrantRecord, idNumber: m.idNumber, dueOn: daysAfter(m.movedOn, allowed), daysAfterMove: after, submitted });
    }
    return late;
  }

  /** Counted in population's database: only the numbers leave it. */
  @Authorized("read:reports")
  @Query(() => [MigrantCount], { description: "Inflow (by destination town) and outflow (by origin town) moves per year, in a region; optionally one year" })
  async migrantCounts(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("year", () => Int, { nullable: true }) year?: number | null,
  ): Promise<MigrantCount[]> {
    const region = requireReportRegion(regionCode);
    if (year != null) requireReportYear(year);
    const counts = new Map<string, MigrantCount>();
    for (const [direction, column] of [
      [MigrationDirection.INFLOW, "toRegionCode"],
      [MigrationDirection.OUTFLOW, "fromRegionCode"],
    ] as const) {
      const query = regionQuery(ctx, column, region, direction)
        .select(`SUBSTR(m.${column}, 1, 9)`, "town")
        .addSelect("SUBSTR(m.movedOn, 1, 4)", "year")
        .addSelect("COUNT(*)", "n")
        .groupBy(`SUBSTR(m.${column}, 1, 9)`)
        .addGroupBy("SUBSTR(m.movedOn, 1, 4)");
      if (year != null) query.andWhere("m.movedOn >= :from AND m.movedOn <= :to", { from: `${year}-01-01`, to: `${year}-12-31` });
      for (const r of await query.getRawMany<{ town: string; year: string; n: string | number }>()) {
        const key = `${r.town}|${r.year}`;
        const entry = counts.get(key) ?? { region: regionRef(r.town), year: Number(r.year), inflow: 0, outflow: 0 };
        if (direction === MigrationDirection.INFLOW) entry.inflow = Number(r.n);
        else entry.outflow = Number(r.n);
        counts.set(key, entry);
      }
    }
    return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  }
}

/** The ID number is personal data of the migrant: logged, and masked for callers without the id-number grant. */
@Resolver(() => LateCertificateSubmission)
export class LateCertificateSubmissionResolver {
  @Authorized("read:migrants", "read:identity-masked")
  @FieldResolver(() => String, { nullable: true, description: "Her ID number as the migrant record holds it (inflow migrants are in no hukou register here); masked without the id-number grant" })
  idNumber(@Root() row: LateCertificateSubmission, @Ctx() ctx: PopulationContext): string | null {
    return row.idNumber === null ? null : visibleIdNumber(ctx.caller, row.idNumber);
  }
}
