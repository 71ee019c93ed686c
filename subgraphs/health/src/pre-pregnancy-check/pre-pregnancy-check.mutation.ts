import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { personIdFor } from "../../../../shared/src/person-id";
import { todayInChina } from "../../../../shared/src/scalars";
import { requireNotFuture, requireRegionCode, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import { optionalIdNumber, requireAgeBetween, requirePersonOfSex, requireWholeNumber } from "../../../../shared/src/writes/record-checks";
import { BirthCertificateRecord } from "../birth-certificate/birth-certificate.entity";
import type { HealthContext } from "../context";
import { PrePregnancyCheckTargetRecord } from "./pre-pregnancy-check-target.entity";
import { PrePregnancyCheckTarget } from "./pre-pregnancy-check-target.type";
import { PrePregnancyCheckRecord } from "./pre-pregnancy-check.entity";
import { RecordPrePregnancyCheckInput, SetPrePregnancyCheckTargetInput } from "./pre-pregnancy-check.inputs";
import { PrePregnancyCheck } from "./pre-pregnancy-check.type";

/**
 * Ages on the day of the check. The check is for a couple planning a pregnancy within policy, so both are of
 * legal marriage age (婚姻法 Art. 6 / 民法典 Art. 1047: women 20, men 22), and the woman of childbearing age (to 49).
 */
export const CHECK_AGES = { womanMin: 20, womanMax: 49, manMin: 22 } as const;

/** The national free check began as a pilot in 2010; targets are set for the coming year at most. */
export const FIRST_TARGET_YEAR = 2010;

@Resolver(() => PrePregnancyCheck)
export class PrePregnancyCheckMutationResolver {
  /**
   * One free check per child (DOMAIN.md): a woman's checks are counted between her births in health's own
   * records, so a second check with no birth in between is refused. Follow-up visits after a risk finding are
   * not free checks and are not recorded here.
   */
  @Authorized("write:health")
  @Mutation(() => PrePregnancyCheck, { description: "孕前优生健康检查: record a free pre-pregnancy check (one per child)" })
  recordPrePregnancyCheck(
    @Ctx() ctx: HealthContext,
    @Arg("input", () => RecordPrePregnancyCheckInput) input: RecordPrePregnancyCheckInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PrePregnancyCheckRecord> {
    return performMutation(ctx, { operation: "recordPrePregnancyCheck", idempotencyKey, payload: input }, async () => {
      const woman = requirePersonOfSex(input.womanIdNumber, "FEMALE", "input.womanIdNumber");
      const man = optionalIdNumber(input.manIdNumber, "input.manIdNumber", "MALE");
      const checkedOn = requireNotFuture(input.checkedOn, "input.checkedOn");
      requireAgeBetween(woman, checkedOn, CHECK_AGES.womanMin, CHECK_AGES.womanMax, "input.womanIdNumber", "the woman (女方)");
      if (man) requireAgeBetween(man, checkedOn, CHECK_AGES.manMin, null, "input.manIdNumber", "the man (男方)");
      const institution = requireText(input.institution, "input.institution", 100);
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const womanPersonId = personIdFor(woman.normalized);

      return async (manager) => {
        const checksQuery = manager
          .getRepository(PrePregnancyCheckRecord)
          .createQueryBuilder("c")
          .where("c.womanPersonId = :womanPersonId", { womanPersonId });
        if (ctx.db.dialect === "mysql") checksQuery.setLock("pessimistic_write");
        const checks = await checksQuery.getMany();
        if (checks.length > 0) {
          const births = await manager.find(BirthCertificateRecord, { where: { motherPersonId: womanPersonId }, select: { birthDate: true } });
          // Which of her children a check prepares for: the number of her births up to that day.
          const childFor = (date: string) => births.filter((b) => b.birthDate <= date).length;
          const same = checks.find((c) => childFor(c.checkedOn) === childFor(checkedOn));
          if (same) {
            throw badUserInput(
              "input.womanIdNumber",
              `该妇女已于 ${same.checkedOn} 接受过本孩次的免费孕前优生健康检查（每孩次一次）`,
              `she already had the free check for this child on ${same.checkedOn} (one free check per child)`,
            );
          }
        }
        const id = randomUUID();
        await manager.insert(PrePregnancyCheckRecord, {
          id,
          checkedOn,
          womanIdNumber: woman.normalized,
          womanPersonId,
          manIdNumber: man?.normalized ?? null,
          manPersonId: man ? personIdFor(man.normalized) : null,
          institution,
          regionCode,
          riskFound: input.riskFound,
        });
        return manager.findOneByOrFail(PrePregnancyCheckRecord, { id });
      };
    });
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency)" })
  version(@Root() check: PrePregnancyCheckRecord): number {
    return check.version;
  }
}

@Resolver(() => PrePregnancyCheckTarget)
export class PrePregnancyCheckTargetResolver {
  /** Sets (or replaces) a town's target for a year: setting the same value again changes nothing. */
  @Authorized("write:health")
  @Mutation(() => PrePregnancyCheckTarget, { description: "Set a town's yearly target of free pre-pregnancy checks" })
  setPrePregnancyCheckTarget(
    @Ctx() ctx: HealthContext,
    @Arg("input", () => SetPrePregnancyCheckTargetInput) input: SetPrePregnancyCheckTargetInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PrePregnancyCheckTargetRecord> {
    return performMutation(ctx, { operation: "setPrePregnancyCheckTarget", idempotencyKey, payload: input }, async () => {
      const townCode = requireRegionCode(input.townCode, "input.townCode");
      if (townCode.length !== 9) throw badUserInput("input.townCode", "须为九位乡镇（街道）代码", "must be a nine-digit township code");
      requireInJurisdiction(ctx.caller, townCode, "input.townCode");
      const year = requireWholeNumber(input.year, "input.year", FIRST_TARGET_YEAR, Number(todayInChina().slice(0, 4)) + 1);
      const target = requireWholeNumber(input.target, "input.target", 0, 1_000_000);
      return async (manager) => {
        await manager.upsert(PrePregnancyCheckTargetRecord, { townCode, year, target }, ["townCode", "year"]);
        return manager.findOneByOrFail(PrePregnancyCheckTargetRecord, { townCode, year });
      };
    });
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  town(@Root() target: PrePregnancyCheckTargetRecord): RegionRef | null {
    return regionRef(target.townCode);
  }
}
