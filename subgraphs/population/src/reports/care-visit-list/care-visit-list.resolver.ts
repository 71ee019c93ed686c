import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../../shared/src/pagination";
import { queryPlatform } from "../../../../../shared/src/platform-client";
import { reportDay, requireReportRegion } from "../../../../../shared/src/report-arguments";
import { AssistanceEnrollmentRecord } from "../../assistance/assistance-enrollment.entity";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import { CareVisitRecord } from "../../care-visit/care-visit.entity";
import { CareVisitKind } from "../../care-visit/care-visit.enums";
import type { PopulationContext } from "../../context";
import { chunks, enrolledOn } from "../eligibility/eligibility.service";
import { CareVisitListEntry } from "./care-visit-list.type";
import { DateScalar } from "../../../../../shared/src/scalars";

const PURPOSE = "计生家庭走访慰问名单 (visit list of family-planning families, DOMAIN.md §5 report 15)";
const RELIEF = `query VisitRelief($ids: [ID!]!) { peopleByIds(ids: $ids) { id relief { program since until } } }`;
const SPECIAL_KIND: Partial<Record<AssistanceProgram, CareVisitKind>> = {
  [AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DECEASED]: CareVisitKind.CHILD_DECEASED_FAMILY,
  [AssistanceProgram.SPECIAL_ASSISTANCE_CHILD_DISABLED]: CareVisitKind.CHILD_DISABLED_FAMILY,
};

/**
 * The families population visits (its care-visit records, and the 特扶 families on its roster even if never
 * visited), joined with civil-affairs' relief of those persons only (one batched read per page). Oldest visit
 * first, never-visited families at the top: the order a cadre plans the round in.
 */
@Resolver()
export class CareVisitListResolver {
  @Authorized("read:reports")
  @Query(() => [CareVisitListEntry], { description: "Visit list of 计生特殊家庭 and 计生两户 in a region with their 低保 status on `asOf` (default today)" })
  async careVisitList(
    @Ctx() ctx: PopulationContext,
    @Arg("regionCode") regionCode: string,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day the report is made as of (default: today in China)" }) asOf?: string | null,
  ): Promise<CareVisitListEntry[]> {
    const region = requireReportRegion(regionCode);
    const day = reportDay(asOf);
    if (ctx.caller.dept === "citizen") return [];
    const jurisdiction = `${ctx.caller.region}%`;
    const visits = await ctx.db.dataSource
      .getRepository(CareVisitRecord)
      .createQueryBuilder("v")
      .select(["v.personId", "v.kind", "v.visitedOn"])
      .where("v.regionCode LIKE :region", { region: `${region}%` })
      .andWhere("v.regionCode LIKE :jurisdiction", { jurisdiction })
      .andWhere("v.visitedOn <= :day", { day })
      .getMany();
    const special = await ctx.db.dataSource
      .getRepository(AssistanceEnrollmentRecord)
      .createQueryBuilder("e")
      .where("e.regionCode LIKE :region", { region: `${region}%` })
      .andWhere("e.regionCode LIKE :jurisdiction", { jurisdiction })
      .andWhere("e.program IN (:...programs)", { programs: Object.keys(SPECIAL_KIND) })
      .getMany();

    const families = new Map<string, { kinds: Set<CareVisitKind>; visits: number; last: string | null }>();
    const family = (id: string) => {
      let f = families.get(id);
      if (!f) families.set(id, (f = { kinds: new Set(), visits: 0, last: null }));
      return f;
    };
    for (const v of visits) {
      const f = family(v.personId);
      f.kinds.add(v.kind);
      f.visits++;
      if (f.last === null || v.visitedOn > f.last) f.last = v.visitedOn;
    }
    for (const e of special) if (enrolledOn(e, day)) family(e.personId).kinds.add(SPECIAL_KIND[e.program]!);

    const relief = new Map<string, string[]>();
    for (const part of chunks([...families.keys()], SERVICE_MAX_PAGE_SIZE)) {
      const data = await queryPlatform<{ peopleByIds: { id: string; relief: { program: string; since: string; until: string | null }[] | null }[] }>(
        "population",
        ctx.caller,
        PURPOSE,
        RELIEF,
        { ids: part },
      );
      for (const p of data.peopleByIds) {
        relief.set(p.id, (p.relief ?? []).filter((r) => r.since <= day && (r.until === null || r.until >= day)).map((r) => r.program));
      }
    }
    return [...families.entries()]
      .map(([id, f]) => {
        const programs = relief.get(id) ?? [];
        return { person: { id }, kinds: [...f.kinds].sort(), visits: f.visits, lastVisitedOn: f.last, onRelief: programs.length > 0, reliefPrograms: programs };
      })
      .sort((a, b) => (a.lastVisitedOn ?? "") .localeCompare(b.lastVisitedOn ?? "") || (a.person.id < b.person.id ? -1 : 1));
  }
}
