import { Arg, Authorized, Ctx, Field, ID, InputType, Query, Resolver } from "type-graphql";
import { In } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { SERVICE_MAX_PAGE_SIZE } from "../../../../shared/src/pagination";
import { requireServiceCaller } from "../../../../shared/src/feeds";
import { DateScalar } from "../../../../shared/src/scalars";
import type { HealthContext } from "../context";
import { PrePregnancyCheckRecord } from "../pre-pregnancy-check/pre-pregnancy-check.entity";

@InputType({ description: "A woman and the day from which a pre-pregnancy check counts (e.g. her marriage)" })
export class CheckedSinceQuery {
  @Field(() => ID)
  personId: string;

  @Field(() => DateScalar)
  since: string;
}

/**
 * Minimal disclosure for population's new-marriage follow-up (DOMAIN.md §5 report 7): health data are sensitive
 * (PIPL Art. 28) and population holds no health grant, so health answers only which of the women had a
 * 孕前优生健康检查 on or after the day given — ids, no check, no finding. Each woman asked about is logged here.
 */
@Resolver()
export class CheckedSinceResolver {
  @Authorized("read:reports")
  @Query(() => [ID], { description: "Service identities only: the women among these who had a pre-pregnancy check on or after their day" })
  async prePregnancyCheckedSince(@Ctx() ctx: HealthContext, @Arg("women", () => [CheckedSinceQuery]) women: CheckedSinceQuery[]): Promise<string[]> {
    requireServiceCaller(ctx.caller, "prePregnancyCheckedSince");
    if (women.length > SERVICE_MAX_PAGE_SIZE) throw badUserInput("women", `一次最多 ${SERVICE_MAX_PAGE_SIZE} 人`, `at most ${SERVICE_MAX_PAGE_SIZE} at once`);
    const since = new Map<string, string>();
    for (const w of women) {
      const earlier = since.get(w.personId);
      if (earlier === undefined || w.since < earlier) since.set(w.personId, w.since);
    }
    const ids = [...since.keys()];
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 2000) {
      const rows = await ctx.db.dataSource
        .getRepository(PrePregnancyCheckRecord)
        .find({ where: { womanPersonId: In(ids.slice(i, i + 2000)) }, select: { id: true, womanPersonId: true, checkedOn: true, regionCode: true } });
      for (const r of rows) {
        if (r.checkedOn >= since.get(r.womanPersonId)! && (ctx.caller.region === "" || r.regionCode.startsWith(ctx.caller.region))) found.add(r.womanPersonId);
      }
    }
    for (const id of ids) ctx.audit.record(id, "prePregnancyCheckedSince");
    return ids.filter((id) => found.has(id));
  }
}
