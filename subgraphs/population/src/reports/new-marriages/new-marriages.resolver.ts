import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { regionRef } from "../../../../../shared/src/graphql/common";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform, queryPlatformAll, type ConnectionPage } from "../../../../../shared/src/platform-client";
import { requireReportRegion, requireReportYear } from "../../../../../shared/src/report-arguments";
import { BirthPermitRecord } from "../../birth-permit/birth-permit.entity";
import type { PopulationContext } from "../../context";
import { personRef } from "../../person/person.ref";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { chunks } from "../eligibility/eligibility.service";
import { NewMarriageFollowUp, NewMarriagesReport } from "./new-marriages.type";

const PURPOSE = "新婚育龄妇女随访 (follow-up of new marriages, DOMAIN.md §5 report 7)";

interface MarriageNode {
  registrationNumber: string;
  kind: string;
  registeredOn: string;
  husband: { id: string } | null;
  wife: { id: string } | null;
}
const MARRIAGES = `query NewMarriages($regionCode: String, $from: Date, $to: Date, $first: Int, $after: String) {
  marriageRecords(regionCode: $regionCode, from: $from, to: $to, first: $first, after: $after) {
    nodes { registrationNumber kind registeredOn husband { id } wife { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CHECKED = `query WivesChecked($women: [CheckedSinceQuery!]!) { prePregnancyCheckedSince(women: $women) }`;
const COVERAGE = `query Coverage($regionCode: String!, $year: Int!) { prePregnancyCheckCoverage(regionCode: $regionCode, year: $year) { target completed rate } }`;

/**
 * Civil-affairs' marriages of the year (through the graph, pages of SERVICE_MAX_PAGE_SIZE), population's own 育龄
 * records of the wives, and health's checks of those wives only (one batched read per page of wives), plus
 * health's coverage figure: counts and the list of marriages to follow up.
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
    const [nodes, coverage] = await Promise.all([
      queryPlatformAll<{ marriageRecords: ConnectionPage<MarriageNode> }, MarriageNode>("population", ctx.caller, PURPOSE, MARRIAGES, { regionCode: region, from, to }, (d) => d.marriageRecords),
      queryPlatform<{ prePregnancyCheckCoverage: { target: number; completed: number; rate: number } }>("population", ctx.caller, PURPOSE, COVERAGE, { regionCode: region, year }),
    ]);
    const marriages = nodes.filter((m) => m.kind === "MARRIAGE");
    const wives = [...new Set(marriages.map((m) => m.wife?.id).filter((id): id is string => !!id))];

    const recorded = new Set<string>();
    for (const part of chunks(wives, 2000)) {
      const [register, permits] = await Promise.all([
        ctx.db.dataSource.getRepository(PopulationRegisterRecord).find({ where: { personId: In(part) }, select: { personId: true } }),
        ctx.db.dataSource.getRepository(BirthPermitRecord).find({ where: { wifePersonId: In(part) }, select: { number: true, wifePersonId: true } }),
      ]);
      for (const r of register) recorded.add(r.personId);
      for (const p of permits) recorded.add(p.wifePersonId);
    }
    // Health answers only yes/no per woman (it holds the sensitive records; population has no health grant).
    const since = new Map<string, string>();
    for (const m of marriages) if (m.wife && (!since.has(m.wife.id) || m.registeredOn < since.get(m.wife.id)!)) since.set(m.wife.id, m.registeredOn);
    const checkedSince = new Set<string>();
    for (const part of chunks([...since.entries()], SERVICE_MAX_PAGE_SIZE)) {
      const data = await queryPlatform<{ prePregnancyCheckedSince: string[] }>("population", ctx.caller, PURPOSE, CHECKED, {
        women: part.map(([personId, day]) => ({ personId, since: day })),
      });
      for (const id of data.prePregnancyCheckedSince) checkedSince.add(id);
    }

    let withFertilityRecord = 0;
    let withPrePregnancyCheck = 0;
    const followUps: NewMarriageFollowUp[] = [];
    for (const m of marriages.sort((a, b) => (a.registrationNumber < b.registrationNumber ? -1 : 1))) {
      const wife = m.wife?.id ?? null;
      const fertilityRecord = wife !== null && recorded.has(wife);
      // A wife married twice in the year is asked about from her first marriage of the year.
      const prePregnancyCheck = wife !== null && checkedSince.has(wife);
      if (fertilityRecord) withFertilityRecord++;
      if (prePregnancyCheck) withPrePregnancyCheck++;
      if (!fertilityRecord || !prePregnancyCheck) {
        followUps.push({ marriage: { registrationNumber: m.registrationNumber }, registeredOn: m.registeredOn, wife: personRef(wife), husband: personRef(m.husband?.id), fertilityRecord, prePregnancyCheck });
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
