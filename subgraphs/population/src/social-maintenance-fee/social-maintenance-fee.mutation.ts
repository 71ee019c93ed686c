import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { badUserInput, notFound } from "../../../../shared/src/errors";
import type { ValidIdNumber } from "../../../../shared/src/id-number";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireNotFuture, requireRegionCode } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import {
  optionalExpectedVersion,
  optionalIdNumber,
  requireDocumentNumber,
  requireNotBeforeBirth,
  requireOnOrAfter,
  requireWholeNumber,
  updateVersioned,
} from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { SocialMaintenanceFeeRecord } from "./social-maintenance-fee.entity";
import { SocialMaintenanceFeeStatus } from "./social-maintenance-fee.enums";
import { DecideSocialMaintenanceFeeInput, RecordFeePaymentInput } from "./social-maintenance-fee.inputs";
import { SocialMaintenanceFeeCase } from "./social-maintenance-fee.type";

const WHAT = "社会抚养费征收案件 (social maintenance fee case)";
const MAX_AMOUNT_YUAN = 10_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function alreadyDecided(field: string, existing: SocialMaintenanceFeeRecord) {
  return badUserInput(
    field,
    `该出生已由 ${existing.decidingCountyCode} 于 ${existing.decidedOn} 作出征收决定，不得重复征收`,
    `a fee was already decided for this birth (county ${existing.decidingCountyCode}, ${existing.decidedOn}): never twice for one birth`,
  );
}

@Resolver(() => SocialMaintenanceFeeCase)
export class SocialMaintenanceFeeMutationResolver {
  /**
   * 社会抚养费征收管理办法 Arts. 3–4: the county 计生 department of the residence, of the hukou place, or whichever
   * finds the birth first decides; a birth is never charged twice. The database enforces the second rule (UNIQUE
   * on the birth certificate number and on the child), the check here only gives the clerk the better message.
   */
  @Authorized("write:family-planning")
  @Mutation(() => SocialMaintenanceFeeCase, { description: "社会抚养费: record a county's fee decision for a birth (never two for one birth)" })
  decideSocialMaintenanceFee(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => DecideSocialMaintenanceFeeInput) input: DecideSocialMaintenanceFeeInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<SocialMaintenanceFeeRecord> {
    return performMutation(ctx, { operation: "decideSocialMaintenanceFee", idempotencyKey, payload: input }, async () => {
      const birthCertificateNumber =
        input.birthCertificateNumber != null && input.birthCertificateNumber.trim() !== ""
          ? requireDocumentNumber(input.birthCertificateNumber, "input.birthCertificateNumber", 20)
          : null;
      const child = optionalIdNumber(input.childIdNumber, "input.childIdNumber");
      if (!birthCertificateNumber && !child) {
        throw badUserInput(
          "input.birthCertificateNumber",
          "须填写出生医学证明编号或孩子的身份号码，以确定是哪一次出生",
          "the birth certificate number or the child's ID number is required to identify the birth",
        );
      }
      const mother = optionalIdNumber(input.motherIdNumber, "input.motherIdNumber", "FEMALE");
      const father = optionalIdNumber(input.fatherIdNumber, "input.fatherIdNumber", "MALE");
      if (!mother && !father) throw badUserInput("input.motherIdNumber", "须至少填写父母一方的身份号码", "at least one parent's ID number is required");
      if (child) {
        for (const [parent, role] of [[mother, "mother"], [father, "father"]] as const) requireChildAfter(child, parent, role);
      }
      const decidingCountyCode = requireRegionCode(input.decidingCountyCode, "input.decidingCountyCode");
      if (decidingCountyCode.length !== 6) {
        throw badUserInput("input.decidingCountyCode", "征收决定由县级计生部门作出，须为六位县级代码", "the fee is decided by a county: give a six-digit county code");
      }
      requireInJurisdiction(ctx.caller, decidingCountyCode, "input.decidingCountyCode");
      const decidedOn = requireNotFuture(input.decidedOn, "input.decidedOn");
      if (child) requireNotBeforeBirth(decidedOn, child, "input.decidedOn", "决定日期");
      const amountYuan = requireWholeNumber(input.amountYuan, "input.amountYuan", 1, MAX_AMOUNT_YUAN);
      const childPersonId = child ? personIdFor(child.normalized) : null;

      return async (manager) => {
        if (birthCertificateNumber) {
          const existing = await manager.findOneBy(SocialMaintenanceFeeRecord, { birthCertificateNumber });
          if (existing) throw alreadyDecided("input.birthCertificateNumber", existing);
        }
        if (childPersonId) {
          const existing = await manager.findOneBy(SocialMaintenanceFeeRecord, { childPersonId });
          if (existing) throw alreadyDecided("input.childIdNumber", existing);
        }
        const id = randomUUID();
        await uniqueAsInput(
          "social_maintenance_fee",
          birthCertificateNumber ? "input.birthCertificateNumber" : "input.childIdNumber",
          "该出生已有征收决定，不得重复征收",
          "a fee was already decided for this birth: never twice for one birth",
          () =>
            manager.insert(SocialMaintenanceFeeRecord, {
              id,
              birthCertificateNumber,
              childPersonId,
              childBirthDate: child?.birthDate ?? null,
              motherPersonId: mother ? personIdFor(mother.normalized) : null,
              fatherPersonId: father ? personIdFor(father.normalized) : null,
              decidingCountyCode,
              decidedOn,
              amountYuan,
              paidYuan: 0,
              lastPaidOn: null,
              status: SocialMaintenanceFeeStatus.DECIDED,
              recordedBy: ctx.caller.sub.slice(0, 128),
            }),
        );
        return manager.findOneByOrFail(SocialMaintenanceFeeRecord, { id });
      };
    });
  }

  /** A payment towards the fee: never more than is outstanding; the case is PAID when nothing is. */
  @Authorized("write:family-planning")
  @Mutation(() => SocialMaintenanceFeeCase, { description: "社会抚养费: record a payment towards a decided fee" })
  recordFeePayment(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => RecordFeePaymentInput) input: RecordFeePaymentInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<SocialMaintenanceFeeRecord> {
    return performMutation(ctx, { operation: "recordFeePayment", idempotencyKey, payload: input }, async () => {
      const id = String(input.caseId ?? "").trim().toLowerCase();
      if (!UUID.test(id)) throw badUserInput("input.caseId", "案件编号格式错误", "is not a case id");
      const amountYuan = requireWholeNumber(input.amountYuan, "input.amountYuan", 1, MAX_AMOUNT_YUAN);
      const paidOn = requireNotFuture(input.paidOn, "input.paidOn");
      const expectedVersion = optionalExpectedVersion(input.expectedVersion, "input.expectedVersion");
      return async (manager) => {
        const fee = await manager.findOneBy(SocialMaintenanceFeeRecord, { id });
        if (!fee) throw notFound(WHAT);
        requireInJurisdiction(ctx.caller, fee.decidingCountyCode, "input.caseId");
        requireOnOrAfter(paidOn, fee.decidedOn, "input.paidOn", `缴费日期早于决定日期 ${fee.decidedOn}`, `paid before the decision (${fee.decidedOn})`);
        const outstanding = fee.amountYuan - fee.paidYuan;
        if (amountYuan > outstanding) {
          throw badUserInput("input.amountYuan", `缴费金额超过未缴金额 ${outstanding} 元`, `the payment exceeds the outstanding ${outstanding} yuan`);
        }
        const paidYuan = fee.paidYuan + amountYuan;
        const status = paidYuan >= fee.amountYuan ? SocialMaintenanceFeeStatus.PAID : SocialMaintenanceFeeStatus.PARTLY_PAID;
        const lastPaidOn = fee.lastPaidOn && fee.lastPaidOn > paidOn ? fee.lastPaidOn : paidOn;
        return updateVersioned(manager, SocialMaintenanceFeeRecord, { id }, fee, expectedVersion, { paidYuan, status, lastPaidOn }, WHAT);
      };
    });
  }
}

function requireChildAfter(child: ValidIdNumber, parent: ValidIdNumber | null, role: "mother" | "father"): void {
  if (parent && child.birthDate <= parent.birthDate) {
    throw badUserInput("input.childIdNumber", `孩子的出生日期 ${child.birthDate} 不晚于${role === "mother" ? "母亲" : "父亲"}的出生日期`, `the child's birth date is not after the ${role}'s`);
  }
}

