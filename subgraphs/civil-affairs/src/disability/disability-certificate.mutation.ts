import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import type { CivilAffairsContext } from "../context";
import { DisabilityCertificateRecord } from "./disability-certificate.entity";
import { RecordDisabilityCertificateInput } from "./disability-certificate.inputs";
import { DisabilityCertificate } from "./disability-certificate.type";

type DisabilityRow = Omit<DisabilityCertificateRecord, "createdAt">;

@Resolver()
export class DisabilityCertificateMutationResolver {
  @Authorized("write:civil-status")
  @Mutation(() => DisabilityCertificate, { description: "Records a 残疾人证 (number, holder, grade 1–4, issue date) from the disabled persons' federation" })
  recordDisabilityCertificate(
    @Ctx() ctx: CivilAffairsContext,
    @Arg("input", () => RecordDisabilityCertificateInput) input: RecordDisabilityCertificateInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<DisabilityRow> {
    const certificateNumber = requireText(input.certificateNumber, "input.certificateNumber", 32);
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    if (!Number.isInteger(input.grade) || input.grade < 1 || input.grade > 4) {
      throw badUserInput("input.grade", "残疾等级须为 1 到 4 级", "grade must be 1 to 4");
    }
    const issuedOn = requireNotFuture(input.issuedOn, "input.issuedOn");
    if (issuedOn < id.birthDate) throw badUserInput("input.issuedOn", `早于出生日期 ${id.birthDate}`, `is before the birth date ${id.birthDate}`);
    const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
    requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
    const payload = { certificateNumber, idNumber: id.normalized, grade: input.grade, issuedOn, regionCode };
    const personId = personIdFor(id.normalized);

    return performMutation(ctx, { operation: "recordDisabilityCertificate", idempotencyKey, payload }, async () => async (manager) => {
      if (await manager.existsBy(DisabilityCertificateRecord, { certificateNumber })) {
        throw badUserInput("input.certificateNumber", "该残疾人证号已登记", "this certificate number is already recorded");
      }
      await manager.insert(DisabilityCertificateRecord, { certificateNumber, personId, idNumber: id.normalized, grade: input.grade, issuedOn, revokedOn: null, regionCode });
      const { createdAt: _created, ...row } = await manager.findOneByOrFail(DisabilityCertificateRecord, { certificateNumber });
      return row;
    });
  }
}
