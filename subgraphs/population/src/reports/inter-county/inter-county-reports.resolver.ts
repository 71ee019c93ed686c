import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { In } from "typeorm";
import { visibleIdNumber } from "../../../../../shared/src/auth/authorize";
import { regionRef } from "../../../../../shared/src/graphql/common";
import { DateScalar } from "../../../../../shared/src/scalars";
import type { PopulationContext } from "../../context";
import { InterCountyNoticeRecord } from "../../inter-county-notice/inter-county-notice.entity";
import { InterCountyNoticeKind, NoticeDirection } from "../../inter-county-notice/inter-county-notice.enums";
import type { InterCountyNotice } from "../../inter-county-notice/inter-county-notice.type";
import { MigrationRecord } from "../../migrant/migrant-record.entity";
import { MigrationDirection } from "../../migrant/migrant.enums";
import { personRef } from "../../person/person.ref";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { birthFeed, daysAfter, daysBefore, daysBetween, hukouPersonFacts, inChunks, minDate, reportPeriod, reportRegion, reportToday, requireDays } from "../report-platform";
import { birthsAfterMotherLeft } from "../reconciliation-feeds";
import { NonLocalBirthNotReported, OriginCountySource, UnansweredInterCountyRequest } from "./inter-county-reports.type";

const PURPOSE = "跨县对账：流动人口出生通报 (report: births to mothers with hukou elsewhere, notified to their county)";
/** The usual time a 出生通报 or a 协查 answer is expected in [U]: the 30 days of the migrant regulations (Art. 8). */
export const NOTICE_DAYS = 30;


/** DOMAIN.md §5 report 10 (卫生 × 计生, inter-county). */
@Resolver()
export class InterCountyReportsResolver {
  /**
   * 出生医学证明 of births in [bornFrom, bornTo], more than `graceDays` before `today`, whose mother is not in this
   * county's hukou register (public-security), or whose hukou had left it by the day of the birth, and for which
   * no OUTGOING 出生通报 is recorded: the complement of report 1 (unregisteredBirths). Health gives certificate
   * numbers and mothers' ids; public-security says which mothers it holds (ids only) and, for the few whose hukou
   * has left, when and where it went (read and logged for those only, with their births' dates from health). The
   * origin county is where her hukou moved to, else comes from population's own records of her.
   */
  @Authorized("read:reports")
  @Query(() => [NonLocalBirthNotReported], { description: "Births here to mothers with hukou elsewhere, not notified to the hukou county after the grace period (report 10)" })
  async nonLocalBirthsNotReported(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("bornFrom", () => DateScalar) bornFrom: string,
    @Arg("bornTo", () => DateScalar) bornTo: string,
    @Arg("graceDays", () => Int, { defaultValue: NOTICE_DAYS }) graceDays: number,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<NonLocalBirthNotReported[]> {
    const region = reportRegion(regionCode);
    reportPeriod(bornFrom, bornTo, "bornTo");
    requireDays(graceDays, "graceDays", 365);
    const day = reportToday(asOf);
    const lastBirthDate = minDate(bornTo, daysBefore(day, graceDays + 1));
    if (lastBirthDate < bornFrom) return [];
    const births = await birthFeed(ctx.caller, PURPOSE, region, bornFrom, lastBirthDate, null, []);
    const motherIds = [...new Set(births.map((b) => b.motherId))];
    const [registered, notified] = await Promise.all([
      hukouPersonFacts(ctx.caller, PURPOSE, motherIds, []),
      inChunks(
        births.map((b) => b.certificateNumber),
        (chunk) =>
          ctx.db.dataSource.getRepository(InterCountyNoticeRecord).find({
            select: { birthCertificateNumber: true, sentOn: true },
            where: { kind: InterCountyNoticeKind.BIRTH_NOTICE, direction: NoticeDirection.OUTGOING, birthCertificateNumber: In(chunk) },
          }),
      ),
    ]);
    const held = new Set(registered.map((m) => m.id));
    const notifiedBy = new Set(notified.filter((n) => n.sentOn <= day).map((n) => n.birthCertificateNumber));
    const unnotified = births.filter((b) => !notifiedBy.has(b.certificateNumber));
    // A mother public-security holds is local unless her hukou had left this register by the day of the birth.
    const heldMothers = [...new Set(unnotified.filter((b) => held.has(b.motherId)).map((b) => b.motherId))];
    const leftBefore = await birthsAfterMotherLeft(ctx.caller, PURPOSE, unnotified, heldMothers);
    const due = unnotified.filter((b) => !held.has(b.motherId) || leftBefore.has(b.certificateNumber));
    const origins = await originCounties(ctx, [...new Set(due.map((b) => b.motherId))], day);
    return due
      .sort((a, b) => (a.certificateNumber < b.certificateNumber ? -1 : 1))
      .map((b) => {
        const left = leftBefore.get(b.certificateNumber);
        const origin: Origin | undefined =
          left?.movedTo != null
            ? { countyCode: left.movedTo.slice(0, 6), idNumber: origins.get(b.motherId)?.idNumber ?? null, source: OriginCountySource.HUKOU_MOVED_OUT }
            : origins.get(b.motherId);
        return {
          birthCertificate: { certificateNumber: b.certificateNumber },
          mother: personRef(b.motherId),
          motherPersonId: b.motherId,
          motherIdNumber: origin?.idNumber ?? null,
          originCounty: regionRef(origin?.countyCode),
          originKnownFrom: origin?.source ?? OriginCountySource.UNKNOWN,
        };
      });
  }

  /**
   * 协查 of the region still without feedback more than `days` after they were sent (OUTGOING: chase the other
   * county) or received (INCOMING: this county owes the answer). Population's own records only.
   */
  @Authorized("read:reports")
  @Query(() => [UnansweredInterCountyRequest], { description: "协查 requests with no feedback after `days` days (report 10), oldest first" })
  async interCountyRequestsWithoutFeedback(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode", () => String) regionCode: string,
    @Arg("days", () => Int, { defaultValue: NOTICE_DAYS }) days: number,
    @Arg("direction", () => NoticeDirection, { nullable: true, description: "Only requests sent (OUTGOING) or received (INCOMING); default both" }) direction?: NoticeDirection | null,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<UnansweredInterCountyRequest[]> {
    const region = reportRegion(regionCode);
    requireDays(days, "days", 3650);
    const day = reportToday(asOf);
    const query = ctx.db.dataSource
      .getRepository(InterCountyNoticeRecord)
      .createQueryBuilder("n")
      .where("n.localRegionCode LIKE :region", { region: `${region}%` })
      .andWhere("n.kind = :kind", { kind: InterCountyNoticeKind.VERIFICATION_REQUEST })
      // Open on `today`: no feedback, or feedback recorded only after the day the report is made as of.
      .andWhere("(n.feedbackOn IS NULL OR n.feedbackOn > :day)", { day })
      .andWhere("n.sentOn < :lastOpenDay", { lastOpenDay: daysBefore(day, days) })
      .orderBy("n.sentOn", "ASC")
      .addOrderBy("n.id", "ASC");
    if (direction) query.andWhere("n.direction = :direction", { direction });
    if (ctx.caller.dept === "citizen") query.andWhere("1 = 0");
    else if (ctx.caller.region) query.andWhere("n.localRegionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.region}%` });
    const open = await query.getMany();
    return open.map((notice) => ({
      notice: notice as unknown as InterCountyNotice,
      dueOn: daysAfter(notice.sentOn, days),
      daysOpen: daysBetween(notice.sentOn, day),
    }));
  }
}

@Resolver(() => NonLocalBirthNotReported)
export class NonLocalBirthNotReportedResolver {
  @Authorized("read:migrants", "read:identity-masked")
  @FieldResolver(() => String, { nullable: true, description: "The mother's ID number as population holds it (masked without the id-number grant); null when it holds none" })
  motherIdNumber(@Root() row: NonLocalBirthNotReported, @Ctx() ctx: PopulationContext): string | null {
    return row.motherIdNumber === null ? null : visibleIdNumber(ctx.caller, row.motherIdNumber);
  }
}

interface Origin {
  countyCode: string;
  idNumber: string | null;
  source: OriginCountySource;
}

/**
 * The hukou county of mothers public-security does not hold, from population's own records: the latest inflow
 * record's origin, else the address code of the ID number population keeps for her (her register row).
 */
async function originCounties(ctx: PopulationContext, motherIds: string[], asOf: string): Promise<Map<string, Origin>> {
  const [moves, rows] = await Promise.all([
    inChunks(motherIds, (chunk) =>
      ctx.db.dataSource.getRepository(MigrationRecord).find({
        select: { personId: true, idNumber: true, fromRegionCode: true, movedOn: true },
        where: { personId: In(chunk), direction: MigrationDirection.INFLOW },
      }),
    ),
    inChunks(motherIds, (chunk) =>
      ctx.db.dataSource.getRepository(PopulationRegisterRecord).find({ select: { personId: true, idNumber: true }, where: { personId: In(chunk) } }),
    ),
  ]);
  const origins = new Map<string, Origin>();
  for (const row of rows) origins.set(row.personId, { countyCode: row.idNumber.slice(0, 6), idNumber: row.idNumber, source: OriginCountySource.ID_NUMBER });
  const latest = new Map<string, MigrationRecord>();
  for (const move of moves) {
    if (move.movedOn > asOf) continue;
    const seen = latest.get(move.personId);
    if (!seen || seen.movedOn < move.movedOn) latest.set(move.personId, move);
  }
  for (const [personId, move] of latest) {
    origins.set(personId, { countyCode: move.fromRegionCode.slice(0, 6), idNumber: move.idNumber ?? origins.get(personId)?.idNumber ?? null, source: OriginCountySource.MIGRANT_RECORD });
  }
  return origins;
}
