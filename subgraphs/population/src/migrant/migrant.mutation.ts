import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import { badUserInput, notFound } from "../../../../shared/src/errors";
import type { Sex } from "../../../../shared/src/graphql/common";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requirePlaceCode, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import {
  addYears,
  dayBefore,
  optionalExpectedVersion,
  requireAgeBetween,
  requireDocumentNumber,
  requireNotBeforeBirth,
  requireOnOrAfter,
  updateVersioned,
} from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { MigrationRecord } from "./migrant-record.entity";
import { MigrantRecord } from "./migrant-record.type";
import { MigrationDirection } from "./migrant.enums";
import { RecordMigrationInput, SubmitMarriageFertilityCertificateInput } from "./migrant.inputs";

/**
 * 婚育证明 (流动人口计划生育工作条例, 2009): Art. 7 issues it to an adult woman of childbearing age before she
 * leaves; its validity is not fixed by the regulation, three years is the common practice [U].
 */
export const CERTIFICATE_HOLDER_AGE = { min: 18, max: 49 } as const;
export const CERTIFICATE_VALID_YEARS = 3;

/** The end of a move that lies in this county: where an inflow arrived, where an outflow left. */
export function localRegionCodeOf(record: Pick<MigrationRecord, "direction" | "fromRegionCode" | "toRegionCode">): string {
  return record.direction === MigrationDirection.INFLOW ? record.toRegionCode : record.fromRegionCode;
}

@Resolver(() => MigrantRecord)
export class MigrantRecordMutationResolver {
  /**
   * A 流动人口 crosses a county boundary (离开户籍所在地的县、市或者市辖区), so the two ends lie in different
   * counties. The end in this county must be a division of the list and in the caller's jurisdiction; the other
   * end may be anywhere in China and is checked for its form only.
   */
  @Authorized("write:migrants")
  @Mutation(() => MigrantRecord, { description: "Record a move of a migrant (流入 / 流出), with her 婚育证明 if she holds one" })
  recordMigration(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => RecordMigrationInput) input: RecordMigrationInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<MigrationRecord> {
    return performMutation(ctx, { operation: "recordMigration", idempotencyKey, payload: input }, async () => {
      const person = requireIdNumber(input.idNumber, "input.idNumber");
      const movedOn = requireNotFuture(input.movedOn, "input.movedOn");
      requireNotBeforeBirth(movedOn, person, "input.movedOn", "迁移日期");
      const inflow = input.direction === MigrationDirection.INFLOW;
      const fromRegionCode = inflow ? requirePlaceCode(input.fromRegionCode, "input.fromRegionCode") : requireRecordRegionCode(input.fromRegionCode, "input.fromRegionCode");
      const toRegionCode = inflow ? requireRecordRegionCode(input.toRegionCode, "input.toRegionCode") : requirePlaceCode(input.toRegionCode, "input.toRegionCode");
      if (fromRegionCode.slice(0, 6) === toRegionCode.slice(0, 6)) {
        throw badUserInput(
          "input.toRegionCode",
          "流入地与流出地须在不同的县（市、区）：县内的迁移不是流动人口",
          "the two ends must lie in different counties: a move within a county is not migration",
        );
      }
      if (inflow) requireInJurisdiction(ctx.caller, toRegionCode, "input.toRegionCode");
      else requireInJurisdiction(ctx.caller, fromRegionCode, "input.fromRegionCode");

      const certificate = certificateOf(input, person, movedOn);
      const personId = personIdFor(person.normalized);

      return async (manager) => {
        if (await manager.existsBy(MigrationRecord, { personId, direction: input.direction, movedOn })) {
          throw badUserInput("input.movedOn", "该次迁移已登记", "this move is already recorded");
        }
        const result = await manager.insert(MigrationRecord, {
          personId,
          idNumber: person.normalized,
          sex: person.sex as Sex,
          birthDate: person.birthDate,
          direction: input.direction,
          fromRegionCode,
          toRegionCode,
          movedOn,
          ...certificate,
        });
        return manager.findOneByOrFail(MigrationRecord, { id: result.identifiers[0].id as number });
      };
    });
  }

  /** Art. 8: the woman hands her 婚育证明 in at the destination (due within 30 days; a late date is recorded as it is). */
  @Authorized("write:migrants")
  @Mutation(() => MigrantRecord, { description: "Record the date a 婚育证明 was submitted at the destination (Art. 8)" })
  submitMarriageFertilityCertificate(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => SubmitMarriageFertilityCertificateInput) input: SubmitMarriageFertilityCertificateInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<MigrationRecord> {
    return performMutation(ctx, { operation: "submitMarriageFertilityCertificate", idempotencyKey, payload: input }, async () => {
      const id = requireRecordId(input.migrantRecordId, "input.migrantRecordId");
      const submittedOn = requireNotFuture(input.submittedOn, "input.submittedOn");
      const expectedVersion = optionalExpectedVersion(input.expectedVersion, "input.expectedVersion");
      return async (manager) => {
        const record = await manager.findOneBy(MigrationRecord, { id });
        if (!record) throw notFound("迁移记录 (migrant record)");
        requireInJurisdiction(ctx.caller, localRegionCodeOf(record), "input.migrantRecordId");
        if (!record.certificateNumber || !record.certificateIssuedOn) {
          throw badUserInput("input.migrantRecordId", "该迁移记录没有婚育证明", "this move has no 婚育证明 on record");
        }
        requireOnOrAfter(submittedOn, record.movedOn, "input.submittedOn", `交验日期早于迁移日期 ${record.movedOn}`, `submitted before the move (${record.movedOn})`);
        requireOnOrAfter(
          submittedOn,
          record.certificateIssuedOn,
          "input.submittedOn",
          `交验日期早于证明签发日期 ${record.certificateIssuedOn}`,
          `submitted before the certificate was issued (${record.certificateIssuedOn})`,
        );
        return updateVersioned(manager, MigrationRecord, { id }, record, expectedVersion, { submittedAtDestinationOn: submittedOn }, "迁移记录 (migrant record)");
      };
    });
  }

  @FieldResolver(() => ID, { description: "The record's number, for submitMarriageFertilityCertificate" })
  id(@Root() record: MigrationRecord): string {
    return String(record.id);
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency): send it as expectedVersion when updating" })
  version(@Root() record: MigrationRecord): number {
    return record.version;
  }
}

/** A generated row id as given in an input: a positive whole number. */
export function requireRecordId(raw: string, field: string): number {
  const value = String(raw ?? "").trim();
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw badUserInput(field, "记录编号格式错误", "is not a record id");
  return Number(value);
}

type CertificateColumns = Pick<MigrationRecord, "certificateNumber" | "certificateIssuedOn" | "certificateValidUntil" | "submittedAtDestinationOn">;

/** The 婚育证明 part of a RecordMigrationInput, checked: all four columns, null when she holds none. */
function certificateOf(input: RecordMigrationInput, person: ReturnType<typeof requireIdNumber>, movedOn: string): CertificateColumns {
  const given = input.certificateNumber != null && input.certificateNumber.trim() !== "";
  if (!given) {
    if (input.certificateIssuedOn || input.certificateValidUntil || input.submittedAtDestinationOn) {
      throw badUserInput("input.certificateNumber", "填写了婚育证明的日期，但缺少证明编号", "certificate dates were given without the certificate number");
    }
    return { certificateNumber: null, certificateIssuedOn: null, certificateValidUntil: null, submittedAtDestinationOn: null };
  }
  const certificateNumber = requireDocumentNumber(input.certificateNumber!, "input.certificateNumber", 32, 6);
  if (person.sex !== "FEMALE") {
    throw badUserInput("input.certificateNumber", "婚育证明只发给育龄妇女，身份号码表示为男性", "a 婚育证明 is issued to women; the ID number is a man's");
  }
  if (!input.certificateIssuedOn) {
    throw badUserInput("input.certificateIssuedOn", "填写婚育证明编号时须填写签发日期", "the issue date is required with the certificate number");
  }
  const issuedOn = requireNotFuture(input.certificateIssuedOn, "input.certificateIssuedOn");
  requireAgeBetween(person, issuedOn, CERTIFICATE_HOLDER_AGE.min, CERTIFICATE_HOLDER_AGE.max, "input.certificateIssuedOn", "the holder (持证人)");
  const validUntil = input.certificateValidUntil ?? dayBefore(addYears(issuedOn, CERTIFICATE_VALID_YEARS));
  requireOnOrAfter(validUntil, issuedOn, "input.certificateValidUntil", "有效期截止日早于签发日期", "the certificate would expire before it was issued");
  let submitted: string | null = null;
  if (input.submittedAtDestinationOn) {
    submitted = requireNotFuture(input.submittedAtDestinationOn, "input.submittedAtDestinationOn");
    requireOnOrAfter(submitted, movedOn, "input.submittedAtDestinationOn", `交验日期早于迁移日期 ${movedOn}`, `submitted before the move (${movedOn})`);
  }
  return { certificateNumber, certificateIssuedOn: issuedOn, certificateValidUntil: validUntil, submittedAtDestinationOn: submitted };
}
