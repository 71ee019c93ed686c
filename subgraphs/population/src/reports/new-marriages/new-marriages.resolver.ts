import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { regionRef } from "../../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { requireReportRegion, requireReportYear } from "../../../../../shared/src/report-arguments";
import { BirthPermitRecord } from "../../birth-permit/birth-permit.entity";
import type { PopulationContext } from "../../context";
import { personRef } from "../../person/person.ref";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { allPages, inChunks } from "../report-platform";
import { NewMarriageFollowUp, NewMarriagesReport } from "./new-marriages.type";

const PURPOSE = "新婚育龄妇女随访 (follow-up of new marriages, DOMAIN.md §5 report 7)";

interface MarriageFact {
  registrationNumber: string;
  registeredOn: string;
  husbandId: string;
  wifeId: string;
}
const MARRIAGES = `query NewMarriages($regionCode: String!, $from: Date!, $to: Date!, $first: Int, $after: String) {
  marriageFeed(regionCode: $regionCode, from: $from, to: $to, kind: MARRIAGE, first: $first, after: $after) {
    marriages { registrationNumber registeredOn husbandId wifeId } next
  }
}`;
const CHECKED = `query WivesChecked($women: [CheckedSinceQuery!]!) { prePregnancyCheckedSince(women: $women) }`;
const COVERAGE = `query Coverage($regionCode: String!, $year: Int!) { prePregnancyCheckCoverage(regionCode: $regionCode, year: $year) { target completed rate } }`;

/**
 * Civil-affairs' marriages of the year (its compact marriage feed, pages of SERVICE_MAX_PAGE_SIZE), population's
 * own 育龄 records of the wives, and health's checks of those wives only (one batched read per page of wives),
 * plus health's coverage figure: counts and the list of marriages to follow up. The wives' records here and
 * their checks in health are read side by side.
 */
@Resolver()
export class NewMarriagesResolver {
  @Authorized("read:reports")
  @Query(() => NewMarriagesReport, { description: "New marriages of a year with no 育龄 record or no pre-pregnancy check, and the check coverage against the target" })
  async newMarriagesFollowUp(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("year", () => Int) year: number,
  ): Promise<NewMarriagesReport> {
    const region = requireReportRegion(regionCode);
    requireReportYear(year);
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const [marriages, coverage] = await Promise.all([
      allPages<MarriageFact>(async (after) => {
        const data = await queryPlatform<{ marriageFeed: { marriages: MarriageFact[]; next: string | null } }>("population", ctx.caller, PURPOSE, MARRIAGES, {
          regionCode: region,
          from,
          to,
          first: SERVICE_MAX_PAGE_SIZE,
          after,
        });
        return { rows: data.marriageFeed.marriages, next: data.marriageFeed.next };
      }),
      queryPlatform<{ prePregnancyCheckCoverage: { target: number; completed: number; rate: number } }>("population", ctx.caller, PURPOSE, COVERAGE, { regionCode: region, year }),
    ]);
    const wives = [...new Set(marriages.map((m) => m.wifeId))];
    // Health answers only yes/no per woman (it holds the sensitive records; population has no health grant).
    // A wife married twice in the year is asked about from her first marriage of the year.
    const since = new Map<string, string>();
    for (const m of marriages) if (!since.has(m.wifeId) || m.registeredOn < since.get(m.wifeId)!) since.set(m.wifeId, m.registeredOn);
    const [recorded, checked] = await Promise.all([
      inChunks(wives, async (part) => {
        const [register, permits] = await Promise.all([
          ctx.db.dataSource.getRepository(PopulationRegisterRecord).find({ where: { personId: In(part) }, select: { personId: true } }),
          ctx.db.dataSource.getRepository(BirthPermitRecord).find({ where: { wifePersonId: In(part) }, select: { number: true, wifePersonId: true } }),
        ]);
        return [...register.map((r) => r.personId), ...permits.map((p) => p.wifePersonId)];
      }),
      inChunks([...since.entries()], async (part) => {
        const data = await queryPlatform<{ prePregnancyCheckedSince: string[] }>("population", ctx.caller, PURPOSE, CHECKED, {
          women: part.map(([personId, day]) => ({ personId, since: day })),
        });
        return data.prePregnancyCheckedSince;
      }),
    ]);
    const withRecord = new Set(recorded);
    const checkedSince = new Set(checked);

    let withFertilityRecord = 0;
    let withPrePregnancyCheck = 0;
    const followUps: NewMarriageFollowUp[] = [];
    for (const m of marriages.sort((a, b) => (a.registrationNumber < b.registrationNumber ? -1 : 1))) {
      const fertilityRecord = withRecord.has(m.wifeId);
      const prePregnancyCheck = checkedSince.has(m.wifeId);
      if (fertilityRecord) withFertilityRecord++;
      if (prePregnancyCheck) withPrePregnancyCheck++;
      if (!fertilityRecord || !prePregnancyCheck) {
        followUps.push({ marriage: { registrationNumber: m.registrationNumber }, registeredOn: m.registeredOn, wife: personRef(m.wifeId), husband: personRef(m.husbandId), fertilityRecord, prePregnancyCheck });
      }
    }
    const c = coverage.prePregnancyCheckCoverage;
    return {
      region: regionRef(region),
      year,
      marriages: marriages.length,
      withFertilityRecord,
      withPrePregnancyCheck,
      target: c.target,
      checksMade: c.completed,
      targetRate: c.rate,
      followUps,
    };
  }
}
