import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { unpackIds } from "../../../../../shared/src/feeds";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { reportDay, requireReportRegion, yearsBefore } from "../../../../../shared/src/report-arguments";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import type { PopulationContext } from "../../context";
import { OnlyChildCertificateRecord } from "../../only-child-certificate/only-child-certificate.entity";
import { PopulationRegisterRecord } from "../../population-register/population-register.entity";
import { ASSISTANCE_BORN_FROM, QUALIFYING_DISABILITY_GRADES, REWARD_ASSISTANCE_AGE } from "../eligibility/eligibility.rules";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { assessEligibility, chunks, ELIGIBILITY_PURPOSE, enrolledOn } from "../eligibility/eligibility.service";
import { Eligibility } from "../eligibility/eligibility.type";
import { DateScalar } from "../../../../../shared/src/scalars";

// Packed (one comma-joined string): the screen matches tens of thousands of persons, which as list items would cost
// the gateway more than the rest of the report's calls together.
const SCREEN = `query RewardAssistanceScreen($filter: PersonFilter!) { packedPersonIdsMatching(filter: $filter) }`;

/**
 * 奖扶's public-security rules as a filter: ACTIVE, rural, born from 1933-01-01 to 60 years before `day`. Answered by
 * public-security with ids only (one statement, one request), so no personal field crosses for the screen.
 */
export async function rewardScreen(ctx: PopulationContext, region: string, day: string): Promise<string[]> {
  const filter = { regionCode: region, status: "ACTIVE", hukouType: "RURAL", bornFrom: ASSISTANCE_BORN_FROM, bornTo: yearsBefore(day, REWARD_ASSISTANCE_AGE) };
  return unpackIds((await queryPlatform<{ packedPersonIdsMatching: string }>("population", ctx.caller, ELIGIBILITY_PURPOSE, SCREEN, { filter })).packedPersonIdsMatching);
}

/** Population's children test (one child, or two daughters) on its register, for these ids. */
export async function passingChildrenTest(ctx: PopulationContext, ids: readonly string[]): Promise<Set<string>> {
  const passing = new Set<string>();
  for (const part of chunks(ids, 5000)) {
    const rows = await ctx.db.dataSource
      .getRepository(PopulationRegisterRecord)
      .find({ where: { personId: In(part) }, select: { personId: true, sonsBorn: true, daughtersBorn: true } });
    for (const r of rows) {
      if (r.sonsBorn === null || r.daughtersBorn === null) continue;
      if (r.sonsBorn + r.daughtersBorn === 1 || (r.sonsBorn === 0 && r.daughtersBorn === 2)) passing.add(r.personId);
    }
  }
  return passing;
}

const CHILD_DEATHS = `query ChildDeaths($ids: [ID!]!, $filter: PersonFilter!) { deathRegisteredAmong(ids: $ids) packedPersonIdsMatching(filter: $filter) }`;
const CHILD_DISABILITY = `query ChildDisability($ids: [ID!]!, $grades: [Int!]!, $on: Date!) { deathRegisteredAmong(ids: $ids) disabilityCertifiedAmong(ids: $ids, grades: $grades, on: $on) }`;

/**
 * The children named on the region's only-child certificates who make their parents candidates: dead (civil-affairs'
 * registration, or public-security's DECEASED status), or alive with a grade 1–3 残疾人证 — asked as ids only, so
 * only the children found cross (and are logged), never the thousands screened.
 */
async function qualifyingChildren(ctx: PopulationContext, region: string, program: AssistanceProgram, childIds: string[], day: string): Promise<Set<string>> {
  const found = new Set<string>();
  const countyWide = region.slice(0, 6);
  for (const part of chunks(childIds, SERVICE_MAX_PAGE_SIZE)) {
    if (program === AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED) {
      const data = await queryPlatform<{ deathRegisteredAmong: string[]; packedPersonIdsMatching: string }>("population", ctx.caller, ELIGIBILITY_PURPOSE, CHILD_DEATHS, {
        ids: part,
        filter: { regionCode: countyWide, status: "DECEASED" },
      });
      const inPart = new Set(part);
      for (const id of [...data.deathRegisteredAmong, ...unpackIds(data.packedPersonIdsMatching)]) if (inPart.has(id)) found.add(id);
    } else {
      const data = await queryPlatform<{ deathRegisteredAmong: string[]; disabilityCertifiedAmong: string[] }>("population", ctx.caller, ELIGIBILITY_PURPOSE, CHILD_DISABILITY, {
        ids: part,
        grades: [...QUALIFYING_DISABILITY_GRADES],
        on: day,
      });
      const dead = new Set(data.deathRegisteredAmong);
      for (const id of data.disabilityCertifiedAmong) if (!dead.has(id)) found.add(id);
    }
  }
  return found;
}

/** Ids of persons open-enrolled in the programme on `day` among `ids`. */
async function enrolledAmong(ctx: PopulationContext, ids: string[], program: AssistanceProgram, day: string): Promise<Set<string>> {
  const enrolled = new Set<string>();
  for (const part of chunks(ids, 5000)) {
    const rows = await ctx.db.dataSource.getRepository(AssistanceEnrollmentRecord).find({ where: { personId: In(part), program } });
    for (const e of rows) if (enrolledOn(e, day)) enrolled.add(e.personId);
  }
  return enrolled;
}

/**
 * DOMAIN.md §5 reports 4 and 5: people who qualify for a programme and are not on its roster. Each department
 * screens with its own data first so that only the few who may qualify are assessed in full (PIPL Art. 6):
 * 奖扶: public-security answers (ids only) which persons of the region are ACTIVE, rural, born 1933-01-01 … 60 years ago;
 * population keeps those its register counts one child or two daughters for and who are not enrolled.
 * 特扶: population's only-child certificates of the region name the children; their deaths and 残疾人证 are read
 * (one batched read), and the parents of the children who died or hold a grade 1–3 certificate are assessed.
 */
@Resolver()
export class AssistanceCandidatesResolver {
  @Authorized("read:reports")
  @Query(() => [Eligibility], { description: "Eligible for the programme on `asOf` (default today) and not enrolled, in a region (a division-code prefix)" })
  async assistanceCandidates(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("program", () => AssistanceProgram) program: AssistanceProgram,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<Eligibility[]> {
    const region = requireReportRegion(regionCode);
    const day = reportDay(asOf);
    let candidates: string[];
    if (program === AssistanceProgram.REWARD_ASSISTANCE) {
      const ids = await rewardScreen(ctx, region, day);
      const children = await passingChildrenTest(ctx, ids);
      const passing = ids.filter((id) => children.has(id));
      const enrolled = await enrolledAmong(ctx, passing, program, day);
      candidates = passing.filter((id) => !enrolled.has(id));
    } else {
      const certificates = await ctx.db.dataSource
        .getRepository(OnlyChildCertificateRecord)
        .createQueryBuilder("c")
        .where("c.regionCode LIKE :region", { region: `${region}%` })
        .andWhere("c.childPersonId IS NOT NULL")
        .andWhere("c.regionCode LIKE :jurisdiction", { jurisdiction: `${ctx.caller.dept === "citizen" ? "-" : ctx.caller.region}%` })
        .getMany();
      const childIds = [...new Set(certificates.map((c) => c.childPersonId!))];
      const qualifying = await qualifyingChildren(ctx, region, program, childIds, day);
      const qualifies = (childId: string) => qualifying.has(childId);
      const parents = new Set<string>();
      for (const c of certificates) {
        if (!qualifies(c.childPersonId!)) continue;
        if (c.fatherPersonId) parents.add(c.fatherPersonId);
        if (c.motherPersonId) parents.add(c.motherPersonId);
      }
      const enrolled = await enrolledAmong(ctx, [...parents], program, day);
      candidates = [...parents].filter((id) => !enrolled.has(id));
    }
    const assessed = await assessEligibility(ctx, candidates, [program], day);
    return assessed.filter((e) => e.eligible && !e.enrolled).sort((a, b) => (a.person!.id < b.person!.id ? -1 : 1));
  }
}
