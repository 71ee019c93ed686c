import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { IsNull } from "typeorm";
import { badUserInput, notFound } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { queryPlatform } from "../../../../shared/src/platform-client";
import { requireIdNumber, requireNotFuture } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import { optionalExpectedVersion, requireOnOrAfter, updateVersioned } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { ASSISTANCE_RATES } from "./assistance-amounts";
import { AssistanceEnrollmentRecord } from "./assistance-enrollment.entity";
import { AssistanceEnrollment } from "./assistance-enrollment.type";
import { AssistanceProgram } from "./assistance.enums";
import { EndAssistanceInput, EnrollAssistanceInput } from "./assistance.inputs";

const WHAT = "扶助登记 (assistance enrollment)";

/** The first day a programme paid anything (奖励扶助 2004-01-01, 特别扶助 2007-01-01): its earliest dated rate. */
export function programmeStart(program: AssistanceProgram): string {
  return ASSISTANCE_RATES.filter((r) => r.program === program)
    .map((r) => r.from)
    .sort()[0];
}

const HUKOU_REGION = `query EnrollmentRegion($idNumber: String) { person(idNumber: $idNumber) { hukou { region { code } } } }`;

@Resolver(() => AssistanceEnrollment)
export class AssistanceEnrollmentMutationResolver {
  /**
   * Only the checks this department can make from the input and its own roster: the programme existed on
   * `since`, and the person has no enrollment in the same programme that overlaps it. Eligibility (age, hukou
   * type, children) needs public-security's and civil-affairs' records and is the eligibility report's job.
   */
  @Authorized("write:family-planning")
  @Mutation(() => AssistanceEnrollment, { description: "Put a person on the 奖励扶助 or 特别扶助 roster" })
  enrollAssistance(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => EnrollAssistanceInput) input: EnrollAssistanceInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<AssistanceEnrollmentRecord> {
    return performMutation(ctx, { operation: "enrollAssistance", idempotencyKey, payload: input }, async () => {
      const person = requireIdNumber(input.idNumber, "input.idNumber");
      const since = requireNotFuture(input.since, "input.since");
      const start = programmeStart(input.program);
      requireOnOrAfter(since, start, "input.since", `该项目自 ${start} 起实施，开始日期不能更早`, `the programme began on ${start}; an enrollment cannot start earlier`);
      let regionCode: string;
      if (input.regionCode != null && input.regionCode.trim() !== "") {
        regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      } else {
        // The roster is kept by hukou village: public-security knows it (read through the graph, never its database).
        const answer = await queryPlatform<{ person: { hukou: { region: { code: string } | null } | null } | null }>(
          "population",
          ctx.caller,
          "扶助登记：户籍地 (roster region of an assistance enrollment)",
          HUKOU_REGION,
          { idNumber: person.normalized },
        );
        const code = answer.person?.hukou?.region?.code;
        if (!code) {
          throw badUserInput(
            "input.regionCode",
            "未在您的辖区户籍中找到此人，请填写登记地区代码",
            "no hukou of this person in your jurisdiction: give the roster's regionCode",
          );
        }
        regionCode = requireRecordRegionCode(code, "input.regionCode");
      }
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const personId = personIdFor(person.normalized);

      return async (manager) => {
        const query = manager
          .getRepository(AssistanceEnrollmentRecord)
          .createQueryBuilder("e")
          .where("e.personId = :personId", { personId })
          .andWhere("e.program = :program", { program: input.program });
        // MySQL: a concurrent enrollment of the same person waits here (or fails on a deadlock), never both pass.
        if (ctx.db.dialect === "mysql") query.setLock("pessimistic_write");
        const overlapping = (await query.getMany()).find((e) => e.until === null || e.until >= since);
        if (overlapping) {
          throw badUserInput(
            "input.since",
            overlapping.until === null
              ? `此人已在该项目中（自 ${overlapping.since} 起，未终止）`
              : `与已有登记（${overlapping.since} 至 ${overlapping.until}）重叠`,
            overlapping.until === null
              ? `already enrolled in this programme since ${overlapping.since} (still open)`
              : `overlaps the enrollment from ${overlapping.since} to ${overlapping.until}`,
          );
        }
        const result = await manager.insert(AssistanceEnrollmentRecord, { personId, program: input.program, since, until: null, regionCode });
        return manager.findOneByOrFail(AssistanceEnrollmentRecord, { id: result.identifiers[0].id as number });
      };
    });
  }

  /** Ends the person's open enrollment in the programme: `until` is the last day paid. */
  @Authorized("write:family-planning")
  @Mutation(() => AssistanceEnrollment, { description: "End a person's open 奖扶 / 特扶 enrollment (death, or the child recovered)" })
  endAssistance(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => EndAssistanceInput) input: EndAssistanceInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<AssistanceEnrollmentRecord> {
    return performMutation(ctx, { operation: "endAssistance", idempotencyKey, payload: input }, async () => {
      const person = requireIdNumber(input.idNumber, "input.idNumber");
      const until = requireNotFuture(input.until, "input.until");
      const expectedVersion = optionalExpectedVersion(input.expectedVersion, "input.expectedVersion");
      const personId = personIdFor(person.normalized);
      return async (manager) => {
        const open = await manager.findOne(AssistanceEnrollmentRecord, {
          where: { personId, program: input.program, until: IsNull() },
          order: { since: "DESC", id: "DESC" },
        });
        if (!open) throw notFound(`此人在该项目中未终止的${WHAT}`);
        requireInJurisdiction(ctx.caller, open.regionCode, "input.idNumber");
        requireOnOrAfter(until, open.since, "input.until", `终止日期早于开始日期 ${open.since}`, `ends before it began (${open.since})`);
        return updateVersioned(manager, AssistanceEnrollmentRecord, { id: open.id }, open, expectedVersion, { until }, WHAT);
      };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() enrollment: AssistanceEnrollmentRecord): string {
    return String(enrollment.id);
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency): send it as expectedVersion to endAssistance" })
  version(@Root() enrollment: AssistanceEnrollmentRecord): number {
    return enrollment.version;
  }
}
