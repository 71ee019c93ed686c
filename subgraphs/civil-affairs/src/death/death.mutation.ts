import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { IsNull } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { todayInChina } from "../../../../shared/src/scalars";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import type { CivilAffairsContext } from "../context";
import { RegionRecord } from "../region/region.entity";
import { ReliefEnrollmentRecord } from "../relief/relief.entity";
import { DeathRegistrationRecord } from "./death.entity";
import { RegisterDeathInput } from "./death.inputs";
import { DeathRegistration } from "./death.type";

/**
 * 死亡登记. Civil-affairs records the death (and ends the person's relief from that day); cancelling the
 * hukou is public-security's own registration (cancelHukou), made by its clerk: nothing is written across.
 */
@Resolver()
export class DeathMutationResolver {
  @Authorized("write:civil-status")
  @Mutation(() => DeathRegistration, { description: "死亡登记: the death date not before birth nor after the registration date; one registration per person" })
  registerDeath(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => RegisterDeathInput) input: RegisterDeathInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<DeathRegistration> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const deathDate = requireNotFuture(input.deathDate, "input.deathDate");
    if (deathDate < id.birthDate) {
      throw badUserInput("input.deathDate", `死亡日期早于出生日期 ${id.birthDate}`, `is before the birth date ${id.birthDate}`);
    }
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
    const registeredOn = requireNotFuture(input.registeredOn ?? todayInChina(), "input.registeredOn");
    if (deathDate > registeredOn) {
      throw badUserInput("input.deathDate", `死亡日期晚于登记日期 ${registeredOn}`, `is after the registration date ${registeredOn}`);
    }
    const cremationNumber = input.cremationNumber != null ? requireText(input.cremationNumber, "input.cremationNumber", 32) : null;
    // The date as sent: a retry tomorrow of a registration that defaulted to today is the same request.
    const payload = { idNumber: id.normalized, deathDate, regionCode, cremationNumber, registeredOn: input.registeredOn ?? null };
    const personId = personIdFor(id.normalized);

    const run = () =>
      performMutation(ctx, { operation: "registerDeath", idempotencyKey, payload }, async () => async (manager) => {
        const existing = await manager.findOneBy(DeathRegistrationRecord, { personId });
        if (existing) {
          throw badUserInput("input.idNumber", `已于 ${existing.registeredOn} 登记死亡`, `a death was registered already (${existing.registeredOn})`);
        }
        if (cremationNumber && (await manager.existsBy(DeathRegistrationRecord, { cremationNumber }))) {
          throw badUserInput("input.cremationNumber", "火化证号已被使用", "this cremation number belongs to another registration");
        }
        await manager.insert(DeathRegistrationRecord, { personId, idNumber: id.normalized, deathDate, registeredOn, regionCode, cremationNumber });
        // Relief is paid to the living: open enrollments end on the day of death.
        const open = await manager.findBy(ReliefEnrollmentRecord, { personId, until: IsNull() });
        for (const enrollment of open) {
          await manager
            .createQueryBuilder()
            .update(ReliefEnrollmentRecord)
            .set({ until: enrollment.since > deathDate ? enrollment.since : deathDate, version: () => "version + 1" } as never)
            .where("id = :id", { id: enrollment.id })
            .execute();
        }
        const region = await manager.findOneBy(RegionRecord, { code: regionCode });
        return { deathDate, registeredOn, region, cremationNumber };
      });
    return uniqueAsInput("death_registration", "input.idNumber", "已登记死亡", "a death was registered already", run);
  }
}
