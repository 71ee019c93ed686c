import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { EntityManager } from "typeorm";
import { inJurisdiction } from "../../../../shared/src/auth/authorize";
import type { Caller } from "../../../../shared/src/auth/caller";
import { badUserInput } from "../../../../shared/src/errors";
import type { Sex } from "../../../../shared/src/graphql/common";
import type { ValidIdNumber } from "../../../../shared/src/id-number";
import { personIdFor } from "../../../../shared/src/person-id";
import { updateWithVersion } from "../../../../shared/src/writes/unit-of-work";
import {
  performMutation,
  requireCurrentVersion,
  requireInJurisdiction,
  requirePlaceCode,
  requireRecordRegionCode,
  uniqueAsInput,
} from "../../../../shared/src/writes/mutation";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import type { PublicSecurityContext } from "../context";
import { HouseholdRecord } from "../household/household.entity";
import { PersonRecord } from "../person/person.entity";
import { PersonStatus } from "../person/person.enums";
import { Person } from "../person/person.type";
import { HukouEventRecord, type HukouEventKindValue } from "./hukou-event.entity";
import { CancelHukouInput, ChangeResidenceInput, MoveHukouInInput, MoveHukouOutInput } from "./hukou.inputs";

const PERSON = { zh: "户籍人员记录", en: "the person's hukou record" };

/** Appends one registration to the person's hukou history, in the mutation's transaction. */
export async function recordHukouEvent(
  manager: EntityManager,
  caller: Caller,
  event: {
    personId: string;
    kind: HukouEventKindValue;
    on: string;
    from: string | null;
    to: string | null;
    householdNumber: string | null;
    reason?: PersonStatus | null;
  },
): Promise<void> {
  await manager.insert(HukouEventRecord, {
    personId: event.personId,
    kind: event.kind,
    occurredOn: event.on,
    fromRegionCode: event.from,
    toRegionCode: event.to,
    householdNumber: event.householdNumber,
    reason: event.reason ?? null,
    operator: caller.sub.slice(0, 128),
  });
}

/** A date on which the person must already have been born. */
export function requireNotBeforeBirth(date: string, id: ValidIdNumber, field: string): void {
  if (date < id.birthDate) throw badUserInput(field, `日期早于出生日期 ${id.birthDate}`, `date is before the birth date ${id.birthDate}`);
}

/** A household of this register, within the clerk's jurisdiction. */
export async function requireHousehold(manager: EntityManager, caller: Caller, householdNumber: string, field: string): Promise<HouseholdRecord> {
  const household = await manager.findOneBy(HouseholdRecord, { householdNumber });
  if (!household) throw badUserInput(field, `户号 ${householdNumber} 不存在`, `no household ${householdNumber}`);
  requireInJurisdiction(caller, household.regionCode, field);
  return household;
}

/** The person's row for an update: in the register, in the clerk's jurisdiction and (unless told otherwise) with an active hukou. */
async function requireActivePerson(
  manager: EntityManager,
  caller: Caller,
  id: ValidIdNumber,
  field: string,
  expectedVersion: number | null,
): Promise<PersonRecord> {
  const person = await manager.findOneBy(PersonRecord, { id: personIdFor(id.normalized) });
  if (!person) throw badUserInput(field, "户籍登记中没有此人", "no such person in the hukou register");
  requireInJurisdiction(caller, person.hukouRegionCode, field);
  requireCurrentVersion(person, expectedVersion, PERSON);
  if (person.status !== PersonStatus.ACTIVE) {
    throw badUserInput(field, `户口已不在册 (${person.status})`, `the hukou is no longer active (${person.status})`);
  }
  return person;
}

async function reread(manager: EntityManager, id: string): Promise<PersonRecord> {
  return manager.findOneByOrFail(PersonRecord, { id });
}

/** 户籍 writes: cancellation, moves in and out, and the actual residence. Each writes only public-security's database. */
@Resolver()
export class HukouMutationResolver {
  @Authorized("write:hukou")
  @Mutation(() => Person, { description: "注销户口 (death, emigration, other legal reason): the person's status and a CANCELLATION event" })
  cancelHukou(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("input", () => CancelHukouInput) input: CancelHukouInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PersonRecord> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    if (input.reason === PersonStatus.ACTIVE) {
      throw badUserInput("input.reason", "注销原因须为 DECEASED、MIGRATED_OUT 或 CANCELLED", "reason must be DECEASED, MIGRATED_OUT or CANCELLED");
    }
    const on = requireNotFuture(input.on, "input.on");
    requireNotBeforeBirth(on, id, "input.on");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = { idNumber: id.normalized, reason: input.reason, on, expectedVersion };

    return performMutation(ctx, { operation: "cancelHukou", idempotencyKey, payload }, async () => async (manager) => {
      const person = await requireActivePerson(manager, ctx.caller, id, "input.idNumber", expectedVersion);
      if (on < person.hukouRegisteredOn) {
        throw badUserInput("input.on", `注销日期早于户口登记日期 ${person.hukouRegisteredOn}`, `date is before the hukou was registered (${person.hukouRegisteredOn})`);
      }
      await updateWithVersion(manager, PersonRecord, { id: person.id }, expectedVersion ?? person.version, { status: input.reason, hukouCancelledOn: on }, PERSON.zh);
      await recordHukouEvent(manager, ctx.caller, {
        personId: person.id,
        kind: "CANCELLATION",
        on,
        from: person.hukouRegionCode,
        to: null,
        householdNumber: person.householdNumber,
        reason: input.reason,
      });
      return reread(manager, person.id);
    });
  }

  @Authorized("write:hukou")
  @Mutation(() => Person, { description: "迁出: the hukou leaves this register for another place (status MIGRATED_OUT, a MOVE_OUT event)" })
  moveHukouOut(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("input", () => MoveHukouOutInput) input: MoveHukouOutInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PersonRecord> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const toRegionCode = requirePlaceCode(input.toRegionCode, "input.toRegionCode");
    const on = requireNotFuture(input.on, "input.on");
    requireNotBeforeBirth(on, id, "input.on");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = { idNumber: id.normalized, toRegionCode, on, expectedVersion };

    return performMutation(ctx, { operation: "moveHukouOut", idempotencyKey, payload }, async () => async (manager) => {
      const person = await requireActivePerson(manager, ctx.caller, id, "input.idNumber", expectedVersion);
      if (toRegionCode === person.hukouRegionCode) {
        throw badUserInput("input.toRegionCode", "迁入地与现户籍地相同", "the destination is the current hukou region");
      }
      if (on < person.hukouRegisteredOn) {
        throw badUserInput("input.on", `迁出日期早于户口登记日期 ${person.hukouRegisteredOn}`, `date is before the hukou was registered (${person.hukouRegisteredOn})`);
      }
      await updateWithVersion(
        manager,
        PersonRecord,
        { id: person.id },
        expectedVersion ?? person.version,
        { status: PersonStatus.MIGRATED_OUT, hukouCancelledOn: on },
        PERSON.zh,
      );
      await recordHukouEvent(manager, ctx.caller, {
        personId: person.id,
        kind: "MOVE_OUT",
        on,
        from: person.hukouRegionCode,
        to: toRegionCode,
        householdNumber: person.householdNumber,
      });
      return reread(manager, person.id);
    });
  }

  @Authorized("write:hukou")
  @Mutation(() => Person, {
    description: "迁入: a hukou moves into a household of this register (a new person, or one who moved out earlier); refused while the ID number has an active hukou",
  })
  moveHukouIn(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("input", () => MoveHukouInInput) input: MoveHukouInInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PersonRecord> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const name = requireText(input.name, "input.name", 64);
    const ethnicity = input.ethnicity != null ? requireText(input.ethnicity, "input.ethnicity", 32) : null;
    const fromRegionCode = requirePlaceCode(input.fromRegionCode, "input.fromRegionCode");
    const householdNumber = requireText(input.householdNumber, "input.householdNumber", 20);
    const relationToHead = requireText(input.relationToHead, "input.relationToHead", 16);
    const on = requireNotFuture(input.on, "input.on");
    requireNotBeforeBirth(on, id, "input.on");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = { idNumber: id.normalized, name, ethnicity, fromRegionCode, householdNumber, relationToHead, on, expectedVersion };
    const personId = personIdFor(id.normalized);

    const run = () =>
      performMutation(ctx, { operation: "moveHukouIn", idempotencyKey, payload }, async () => {
        const household = await requireHousehold(ctx.db.dataSource.manager, ctx.caller, householdNumber, "input.householdNumber");
        if (fromRegionCode === household.regionCode) {
          throw badUserInput("input.fromRegionCode", "迁出地与迁入户的户籍地相同", "the origin is the household's own region");
        }
        return async (manager) => {
          const hukou = {
            name,
            status: PersonStatus.ACTIVE,
            householdNumber: household.householdNumber,
            relationToHead,
            hukouType: household.type,
            hukouRegionCode: household.regionCode,
            hukouRegisteredOn: on,
            hukouCancelledOn: null,
            residenceRegionCode: household.regionCode,
            residenceAddress: household.address,
            residenceSince: on,
          };
          const existing = await manager.findOneBy(PersonRecord, { id: personId });
          if (existing) {
            requireCurrentVersion(existing, expectedVersion, PERSON);
            // One active hukou per ID number: only a person who moved out earlier can move back in.
            if (existing.status !== PersonStatus.MIGRATED_OUT) {
              throw badUserInput(
                "input.idNumber",
                existing.status === PersonStatus.ACTIVE ? "该身份号码已有有效户口" : `该身份号码的户口已注销 (${existing.status})`,
                existing.status === PersonStatus.ACTIVE ? "this ID number already has an active hukou" : `this ID number's hukou was cancelled (${existing.status})`,
              );
            }
            if (existing.hukouCancelledOn && on < existing.hukouCancelledOn) {
              throw badUserInput("input.on", `迁入日期早于上次迁出日期 ${existing.hukouCancelledOn}`, `date is before the earlier move out (${existing.hukouCancelledOn})`);
            }
            await updateWithVersion(
              manager,
              PersonRecord,
              { id: personId },
              expectedVersion ?? existing.version,
              { ...hukou, ethnicity: ethnicity ?? existing.ethnicity },
              PERSON.zh,
            );
          } else {
            await manager.insert(PersonRecord, { id: personId, idNumber: id.normalized, sex: id.sex as Sex, birthDate: id.birthDate, ethnicity, ...hukou });
          }
          await recordHukouEvent(manager, ctx.caller, {
            personId,
            kind: "MOVE_IN",
            on,
            from: fromRegionCode,
            to: household.regionCode,
            householdNumber: household.householdNumber,
          });
          return reread(manager, personId);
        };
      });
    return uniqueAsInput("person", "input.idNumber", "该身份号码已有有效户口", "this ID number already has an active hukou", run);
  }

  @Authorized("write:hukou")
  @Mutation(() => Person, {
    description: "居住登记: where the person actually lives from `since`; a residence outside the hukou region is 人户分离 (Person.residence vs Person.hukou)",
  })
  changeResidence(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("input", () => ChangeResidenceInput) input: ChangeResidenceInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<PersonRecord> {
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    const address = requireText(input.address, "input.address", 200);
    const since = requireNotFuture(input.since, "input.since");
    requireNotBeforeBirth(since, id, "input.since");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = { idNumber: id.normalized, regionCode, address, since, expectedVersion };

    return performMutation(ctx, { operation: "changeResidence", idempotencyKey, payload }, async () => async (manager) => {
      const person = await manager.findOneBy(PersonRecord, { id: personIdFor(id.normalized) });
      if (!person) throw badUserInput("input.idNumber", "户籍登记中没有此人", "no such person in the hukou register");
      // Either police station may record it: the one of the hukou place or the one where the person now lives.
      if (!inJurisdiction(ctx.caller, person.hukouRegionCode)) requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      requireCurrentVersion(person, expectedVersion, PERSON);
      if (person.status !== PersonStatus.ACTIVE) {
        throw badUserInput("input.idNumber", `户口已不在册 (${person.status})`, `the hukou is no longer active (${person.status})`);
      }
      if (person.residenceSince && since < person.residenceSince) {
        throw badUserInput("input.since", `早于现居住地的起始日期 ${person.residenceSince}`, `is before the current residence began (${person.residenceSince})`);
      }
      await updateWithVersion(
        manager,
        PersonRecord,
        { id: person.id },
        expectedVersion ?? person.version,
        { residenceRegionCode: regionCode, residenceAddress: address, residenceSince: since },
        PERSON.zh,
      );
      return reread(manager, person.id);
    });
  }
}
