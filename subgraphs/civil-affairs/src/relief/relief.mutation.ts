import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { IsNull } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture } from "../../../../shared/src/validation";
import { performMutation, requireCurrentVersion, requireInJurisdiction, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import { updateWithVersion } from "../../../../shared/src/writes/unit-of-work";
import type { CivilAffairsContext } from "../context";
import { DeathRegistrationRecord } from "../death/death.entity";
import type { RegionRecord } from "../region/region.entity";
import { Region } from "../region/region.type";
import { ReliefEnrollmentRecord } from "./relief.entity";
import { EndReliefInput, EnrollReliefInput } from "./relief.inputs";
import { ReliefEnrollment } from "./relief.type";

/** The relief programmes civil-affairs runs (社会救助暂行办法: 最低生活保障, 特困人员供养). */
export const RELIEF_PROGRAMS = ["农村低保", "城市低保", "特困供养"] as const;

type ReliefRow = Omit<ReliefEnrollmentRecord, "createdAt">;

function requireProgram(raw: string, field: string): string {
  const program = raw.trim();
  if (!(RELIEF_PROGRAMS as readonly string[]).includes(program)) {
    throw badUserInput(field, `救助项目须为 ${RELIEF_PROGRAMS.join("、")} 之一`, `program must be one of ${RELIEF_PROGRAMS.join(", ")}`);
  }
  return program;
}

function withoutTimestamps({ createdAt: _created, ...row }: ReliefEnrollmentRecord): ReliefRow {
  return row;
}

/** 低保 / 特困供养 enrollments: one programme at a time per person, for the living. Writes only civil-affairs' database. */
@Resolver()
export class ReliefMutationResolver {
  @Authorized("write:civil-status")
  @Mutation(() => ReliefEnrollment, {
    description: "Enrolls a person in 农村低保, 城市低保 or 特困供养 (one programme at a time; 特困 and 低保 are alternatives); refused for the dead",
  })
  enrollRelief(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => EnrollReliefInput) input: EnrollReliefInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<ReliefRow> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const program = requireProgram(input.program, "input.program");
    const since = requireNotFuture(input.since, "input.since");
    if (since < id.birthDate) throw badUserInput("input.since", `早于出生日期 ${id.birthDate}`, `is before the birth date ${id.birthDate}`);
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
    const payload = { idNumber: id.normalized, program, since, regionCode };
    const personId = personIdFor(id.normalized);

    return performMutation(ctx, { operation: "enrollRelief", idempotencyKey, payload }, async () => async (manager) => {
      const death = await manager.findOneBy(DeathRegistrationRecord, { personId });
      if (death) throw badUserInput("input.idNumber", `已于 ${death.deathDate} 登记死亡`, `died on ${death.deathDate} (death registered)`);
      const enrollments = await manager.findBy(ReliefEnrollmentRecord, { personId });
      const open = enrollments.find((e) => e.until === null);
      if (open) {
        throw badUserInput("input.program", `正在享受${open.program} (自 ${open.since})，须先终止`, `is enrolled in ${open.program} since ${open.since}: end that first`);
      }
      const overlapping = enrollments.find((e) => e.until !== null && e.until >= since);
      if (overlapping) {
        throw badUserInput("input.since", `与已有的${overlapping.program}享受期 (至 ${overlapping.until}) 重叠`, `overlaps the ${overlapping.program} enrollment that ran until ${overlapping.until}`);
      }
      const { identifiers } = await manager.insert(ReliefEnrollmentRecord, { personId, program, since, until: null, regionCode });
      return withoutTimestamps(await manager.findOneByOrFail(ReliefEnrollmentRecord, { id: identifiers[0].id as number }));
    });
  }

  @Authorized("write:civil-status")
  @Mutation(() => ReliefEnrollment, { description: "Ends the person's current enrollment in a programme on `until` (its last day)" })
  endRelief(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => EndReliefInput) input: EndReliefInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<ReliefRow> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const program = requireProgram(input.program, "input.program");
    const until = requireNotFuture(input.until, "input.until");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = { idNumber: id.normalized, program, until, expectedVersion };
    const personId = personIdFor(id.normalized);

    return performMutation(ctx, { operation: "endRelief", idempotencyKey, payload }, async () => async (manager) => {
      const enrollment = await manager.findOneBy(ReliefEnrollmentRecord, { personId, program, until: IsNull() });
      if (!enrollment) throw badUserInput("input.program", `此人没有正在享受的${program}`, `the person is not currently enrolled in ${program}`);
      requireInJurisdiction(ctx.caller, enrollment.regionCode, "input.idNumber");
      requireCurrentVersion(enrollment, expectedVersion, { zh: "救助记录", en: "the relief enrollment" });
      if (until < enrollment.since) {
        throw badUserInput("input.until", `早于享受起始日期 ${enrollment.since}`, `is before the enrollment began (${enrollment.since})`);
      }
      await updateWithVersion(manager, ReliefEnrollmentRecord, { id: enrollment.id }, expectedVersion ?? enrollment.version, { until }, "救助记录");
      return withoutTimestamps(await manager.findOneByOrFail(ReliefEnrollmentRecord, { id: enrollment.id }));
    });
  }
}

/** Fields a clerk needs to change an enrollment: which one, its version, and where it is paid. */
@Resolver(() => ReliefEnrollment)
export class ReliefEnrollmentFieldsResolver {
  @Authorized("read:civil-status")
  @FieldResolver(() => ID)
  id(@Root() enrollment: ReliefEnrollmentRecord): string {
    return String(enrollment.id);
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => Int, { description: "Changes so far; send it as expectedVersion with endRelief" })
  version(@Root() enrollment: ReliefEnrollmentRecord): number {
    return enrollment.version;
  }

  @Authorized("read:civil-status")
  @FieldResolver(() => Region, { nullable: true })
  region(@Root() enrollment: ReliefEnrollmentRecord, @Ctx() ctx: CivilAffairsContext): Promise<RegionRecord | null> {
    return ctx.loaders.regionByCode.load(enrollment.regionCode);
  }
}
