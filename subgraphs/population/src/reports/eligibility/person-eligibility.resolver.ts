import DataLoader from "dataloader";
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { reportDay } from "../../../../../shared/src/report-arguments";
import { AssistanceProgram } from "../../assistance/assistance.enums";
import type { PopulationContext } from "../../context";
import { PersonRef } from "../../person/person.ref";
import { requestLoader } from "../../request-loaders";
import { assessEligibility } from "./eligibility.service";
import { Eligibility } from "./eligibility.type";
import { DateScalar } from "../../../../../shared/src/scalars";

/** Per request: every Person.eligibility of one response is assessed in one batch (one platform read per page of persons). */
function eligibilityLoader(ctx: PopulationContext): DataLoader<string, Eligibility> {
  return requestLoader(ctx.loaders, "eligibility", () =>
    new DataLoader<string, Eligibility>(async (keys) => {
      const byDay = new Map<string, { ids: Set<string>; programs: Set<AssistanceProgram> }>();
      for (const key of keys) {
        const [day, program, id] = key.split("|");
        const entry = byDay.get(day) ?? { ids: new Set(), programs: new Set() };
        entry.ids.add(id);
        entry.programs.add(program as AssistanceProgram);
        byDay.set(day, entry);
      }
      const found = new Map<string, Eligibility>();
      for (const [day, { ids, programs }] of byDay) {
        for (const e of await assessEligibility(ctx, [...ids], [...programs], day)) found.set(`${day}|${e.program}|${e.person!.id}`, e);
      }
      return keys.map((k) => found.get(k)!);
    }),
  );
}

@Resolver(() => PersonRef)
export class PersonEligibilityResolver {
  @Authorized("read:family-planning", "read:reports")
  @FieldResolver(() => Eligibility, {
    nullable: true,
    description: "Contributed by population: whether the person qualifies for a 奖扶 / 特扶 programme on `asOf` (default today), rule by rule",
  })
  eligibility(
    @Root() person: PersonRef,
    @Ctx() ctx: PopulationContext,
    @Arg("program", () => AssistanceProgram) program: AssistanceProgram,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "The day assessed (default: today in China)" }) asOf?: string | null,
  ): Promise<Eligibility> {
    const day = reportDay(asOf);
    return eligibilityLoader(ctx).load(`${day}|${program}|${person.id}`);
  }
}
