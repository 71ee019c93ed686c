import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import type { EntityManager } from "typeorm";
import { ageOn } from "../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../shared/src/errors";
import type { ValidIdNumber } from "../../../../shared/src/id-number";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import {
  performMutation,
  requireCurrentVersion,
  requireInJurisdiction,
  requireRecordRegionCode,
  requireSexOf,
  retryOnCollision,
} from "../../../../shared/src/writes/mutation";
import { updateWithVersion } from "../../../../shared/src/writes/unit-of-work";
import type { CivilAffairsContext } from "../context";
import { DeathRegistrationRecord } from "../death/death.entity";
import { MarriageRecordRow } from "./marriage.entity";
import { MarriageRecordKind } from "./marriage.enums";
import { RegisterDivorceInput, RegisterMarriageInput } from "./marriage.inputs";
import { MarriageRecord } from "./marriage.type";

/** 民法典 Art. 1047 (婚姻法 Art. 6): men 22, women 20. */
export const MARRIAGE_AGE = { MALE: 22, FEMALE: 20 } as const;

type MarriageRow = Omit<MarriageRecordRow, "createdAt">;

/** A person's latest marriage or divorce registration (a divorce sorts after a marriage of the same day: L > J). */
async function latestRecordOf(manager: EntityManager, personId: string): Promise<MarriageRecordRow | null> {
  return manager
    .getRepository(MarriageRecordRow)
    .createQueryBuilder("m")
    .where("(m.husbandPersonId = :id OR m.wifePersonId = :id)", { id: personId })
    .orderBy("m.registeredOn", "DESC")
    .addOrderBy("m.registrationNumber", "DESC")
    .getOne();
}

function deathOf(manager: EntityManager, personId: string): Promise<DeathRegistrationRecord | null> {
  return manager.findOneBy(DeathRegistrationRecord, { personId });
}

/**
 * The marriage a person is in on `on`, from civil-affairs' own registrations: the latest record is a
 * marriage and the spouse had not died by then (the same rule as Person.maritalStatus).
 */
async function currentMarriageOf(manager: EntityManager, personId: string, on: string): Promise<MarriageRecordRow | null> {
  const latest = await latestRecordOf(manager, personId);
  if (!latest || latest.kind !== MarriageRecordKind.MARRIAGE) return null;
  const spouseId = latest.husbandPersonId === personId ? latest.wifePersonId : latest.husbandPersonId;
  const spouseDeath = await deathOf(manager, spouseId);
  const widowed = !!spouseDeath && spouseDeath.deathDate >= latest.registeredOn && spouseDeath.deathDate <= on;
  return widowed ? null : latest;
}

/** J522328-2025-000123 (结婚) / L522328-2025-000007 (离婚): numbered per county, kind and year, as the register does. */
async function nextRegistrationNumber(manager: EntityManager, kind: MarriageRecordKind, regionCode: string, registeredOn: string): Promise<string> {
  const stem = `${kind === MarriageRecordKind.MARRIAGE ? "J" : "L"}${regionCode.slice(0, 6)}-${registeredOn.slice(0, 4)}-`;
  const row = await manager
    .getRepository(MarriageRecordRow)
    .createQueryBuilder("m")
    .select("MAX(m.registrationNumber)", "last")
    .where("m.registrationNumber LIKE :stem", { stem: `${stem}%` })
    .getRawOne<{ last: string | null }>();
  const last = row?.last ? Number(row.last.slice(stem.length)) : 0;
  return `${stem}${String((Number.isFinite(last) ? last : 0) + 1).padStart(6, "0")}`;
}

async function insertRecord(manager: EntityManager, row: Omit<MarriageRow, "registrationNumber" | "version">): Promise<MarriageRow> {
  const registrationNumber = await nextRegistrationNumber(manager, row.kind, row.regionCode, row.registeredOn);
  await manager.insert(MarriageRecordRow, { ...row, registrationNumber });
  const { createdAt: _created, ...saved } = await manager.findOneByOrFail(MarriageRecordRow, { registrationNumber });
  return saved;
}

function requireAdult(id: ValidIdNumber, on: string, field: string): void {
  const minimum = MARRIAGE_AGE[id.sex];
  const age = ageOn(id.birthDate, on);
  if (age < minimum) {
    throw badUserInput(
      field,
      `${id.sex === "MALE" ? "男" : "女"}方登记时 ${age} 岁，未达法定婚龄 ${minimum} 岁`,
      `is ${age} on the registration date, under the legal marriage age of ${minimum}`,
    );
  }
}

/** 结婚登记 and 离婚登记. Each writes only civil-affairs' database. */
@Resolver()
export class MarriageMutationResolver {
  @Authorized("write:marriage")
  @Mutation(() => MarriageRecord, { description: "结婚登记: both at legal age (men 22, women 20) on the date, neither currently married" })
  registerMarriage(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => RegisterMarriageInput) input: RegisterMarriageInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<MarriageRow> {
    const husband = requireIdNumber(input.husbandIdNumber, "input.husbandIdNumber");
    requireSexOf(husband, "MALE", "input.husbandIdNumber");
    const wife = requireIdNumber(input.wifeIdNumber, "input.wifeIdNumber");
    requireSexOf(wife, "FEMALE", "input.wifeIdNumber");
    const registeredOn = requireNotFuture(input.registeredOn, "input.registeredOn");
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
    requireAdult(husband, registeredOn, "input.husbandIdNumber");
    requireAdult(wife, registeredOn, "input.wifeIdNumber");
    const payload = { husbandIdNumber: husband.normalized, wifeIdNumber: wife.normalized, registeredOn, regionCode };
    const spouses = [
      { id: husband, personId: personIdFor(husband.normalized), field: "input.husbandIdNumber" },
      { id: wife, personId: personIdFor(wife.normalized), field: "input.wifeIdNumber" },
    ];

    return retryOnCollision("marriage_record", 5, () =>
      performMutation(ctx, { operation: "registerMarriage", idempotencyKey, payload }, async () => async (manager) => {
        for (const spouse of spouses) {
          const death = await deathOf(manager, spouse.personId);
          if (death && death.deathDate <= registeredOn) {
            throw badUserInput(spouse.field, `已于 ${death.deathDate} 登记死亡`, `died on ${death.deathDate} (death registered)`);
          }
          const latest = await latestRecordOf(manager, spouse.personId);
          if (latest && latest.registeredOn > registeredOn) {
            throw badUserInput(
              "input.registeredOn",
              `早于该当事人最近一次婚姻登记 ${latest.registrationNumber} (${latest.registeredOn})`,
              `is before the person's latest marriage registration ${latest.registrationNumber} (${latest.registeredOn})`,
            );
          }
          const current = await currentMarriageOf(manager, spouse.personId, registeredOn);
          if (current) {
            throw badUserInput(spouse.field, `现有婚姻 ${current.registrationNumber} 尚未解除`, `is currently married (${current.registrationNumber})`);
          }
        }
        return insertRecord(manager, {
          kind: MarriageRecordKind.MARRIAGE,
          registeredOn,
          husbandPersonId: spouses[0].personId,
          husbandIdNumber: husband.normalized,
          wifePersonId: spouses[1].personId,
          wifeIdNumber: wife.normalized,
          regionCode,
        });
      }),
    );
  }

  @Authorized("write:marriage")
  @Mutation(() => MarriageRecord, {
    description: "离婚登记 of a current marriage, named by its registration number or by both ID numbers; answers the DIVORCE record",
  })
  registerDivorce(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => RegisterDivorceInput) input: RegisterDivorceInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<MarriageRow> {
    const number = input.marriageRegistrationNumber != null ? requireText(input.marriageRegistrationNumber, "input.marriageRegistrationNumber", 32) : null;
    const husband = input.husbandIdNumber != null ? requireIdNumber(input.husbandIdNumber, "input.husbandIdNumber") : null;
    if (husband) requireSexOf(husband, "MALE", "input.husbandIdNumber");
    const wife = input.wifeIdNumber != null ? requireIdNumber(input.wifeIdNumber, "input.wifeIdNumber") : null;
    if (wife) requireSexOf(wife, "FEMALE", "input.wifeIdNumber");
    if (!number && !(husband && wife)) {
      throw badUserInput(
        "input.marriageRegistrationNumber",
        "须提供结婚登记号，或双方的公民身份号码",
        "give the marriage's registration number, or both spouses' ID numbers",
      );
    }
    const registeredOn = requireNotFuture(input.registeredOn, "input.registeredOn");
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
    const expectedVersion = input.expectedVersion ?? null;
    const payload = {
      marriageRegistrationNumber: number,
      husbandIdNumber: husband?.normalized ?? null,
      wifeIdNumber: wife?.normalized ?? null,
      registeredOn,
      regionCode,
      expectedVersion,
    };
    const husbandId = husband ? personIdFor(husband.normalized) : null;
    const wifeId = wife ? personIdFor(wife.normalized) : null;
    const marriageField = number ? "input.marriageRegistrationNumber" : "input.husbandIdNumber";

    return retryOnCollision("marriage_record", 5, () =>
      performMutation(ctx, { operation: "registerDivorce", idempotencyKey, payload }, async () => async (manager) => {
        let marriage: MarriageRecordRow | null;
        if (number) {
          marriage = await manager.findOneBy(MarriageRecordRow, { registrationNumber: number });
          if (!marriage || marriage.kind !== MarriageRecordKind.MARRIAGE) {
            throw badUserInput(marriageField, `没有结婚登记 ${number}`, `no marriage registration ${number}`);
          }
          if (husbandId && marriage.husbandPersonId !== husbandId) {
            throw badUserInput("input.husbandIdNumber", "与结婚登记中的男方不符", "is not the husband of this marriage");
          }
          if (wifeId && marriage.wifePersonId !== wifeId) {
            throw badUserInput("input.wifeIdNumber", "与结婚登记中的女方不符", "is not the wife of this marriage");
          }
        } else {
          marriage = await latestRecordOf(manager, husbandId!);
          if (!marriage || marriage.kind !== MarriageRecordKind.MARRIAGE || marriage.wifePersonId !== wifeId || marriage.husbandPersonId !== husbandId) {
            throw badUserInput(marriageField, "双方之间没有现存的婚姻", "there is no current marriage between these two people");
          }
        }
        requireCurrentVersion(marriage, expectedVersion, { zh: "结婚登记", en: "the marriage registration" });
        // Only a current marriage can be dissolved: the latest record of both spouses, and neither has died.
        for (const personId of [marriage.husbandPersonId, marriage.wifePersonId]) {
          const latest = await latestRecordOf(manager, personId);
          if (latest?.registrationNumber !== marriage.registrationNumber) {
            throw badUserInput(marriageField, `婚姻 ${marriage.registrationNumber} 已解除`, `marriage ${marriage.registrationNumber} is no longer current`);
          }
          const death = await deathOf(manager, personId);
          if (death && death.deathDate >= marriage.registeredOn) {
            throw badUserInput(marriageField, `一方已于 ${death.deathDate} 死亡，婚姻已终止`, `a spouse died on ${death.deathDate}: the marriage has ended`);
          }
        }
        if (registeredOn < marriage.registeredOn) {
          throw badUserInput("input.registeredOn", `早于结婚登记日期 ${marriage.registeredOn}`, `is before the marriage was registered (${marriage.registeredOn})`);
        }
        // The marriage's version guards against two clerks dissolving it at once (and a stale expectedVersion).
        await updateWithVersion(
          manager,
          MarriageRecordRow,
          { registrationNumber: marriage.registrationNumber },
          expectedVersion ?? marriage.version,
          {},
          "结婚登记",
        );
        return insertRecord(manager, {
          kind: MarriageRecordKind.DIVORCE,
          registeredOn,
          husbandPersonId: marriage.husbandPersonId,
          husbandIdNumber: marriage.husbandIdNumber,
          wifePersonId: marriage.wifePersonId,
          wifeIdNumber: marriage.wifeIdNumber,
          regionCode,
        });
      }),
    );
  }
}

@Resolver(() => MarriageRecord)
export class MarriageRecordVersionResolver {
  @Authorized("read:marriage")
  @FieldResolver(() => Int, { description: "Changes so far; send it as expectedVersion when dissolving the marriage" })
  version(@Root() record: MarriageRecordRow): number {
    return record.version;
  }
}
