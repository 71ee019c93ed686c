import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { ageOn } from "../../../../shared/src/auth/authorize";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import { optionalIdNumber, requireDocumentNumber, requirePersonOfSex } from "../../../../shared/src/writes/record-checks";
import type { HealthContext } from "../context";
import { BirthCertificateRecord } from "./birth-certificate.entity";
import { IssueBirthCertificateInput } from "./birth-certificate.inputs";
import { BirthCertificate } from "./birth-certificate.type";

/** A mother's age at the birth, from her ID number: outside this range the ID number or the date is wrong. */
export const MOTHER_AGE_AT_BIRTH = { min: 12, max: 60 } as const;

const DUPLICATE_ZH = "该出生医学证明编号已签发";
const DUPLICATE_EN = "a birth certificate with this number has already been issued";

@Resolver(() => BirthCertificate)
export class BirthCertificateMutationResolver {
  /**
   * 母婴保健法 Art. 23: the delivering institution issues the 出生医学证明. 孩次 is fixed here, in the same
   * transaction as the insert, from the mother's certificates in health's own records (births up to this
   * one's date, so a twin issued second is the next child); it is stored, not recomputed later.
   */
  @Authorized("write:births")
  @Mutation(() => BirthCertificate, { description: "出生医学证明: issue a birth certificate (孩次 computed from the mother's earlier certificates)" })
  issueBirthCertificate(
    @Ctx() ctx: HealthContext,
    @Arg("input", () => IssueBirthCertificateInput) input: IssueBirthCertificateInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<BirthCertificateRecord> {
    return performMutation(ctx, { operation: "issueBirthCertificate", idempotencyKey, payload: input }, async () => {
      const certificateNumber = requireDocumentNumber(input.certificateNumber, "input.certificateNumber", 20);
      const childName = requireText(input.childName, "input.childName", 64);
      const birthDate = requireNotFuture(input.birthDate, "input.birthDate");
      const mother = requirePersonOfSex(input.motherIdNumber, "FEMALE", "input.motherIdNumber");
      if (birthDate < mother.birthDate) {
        throw badUserInput("input.birthDate", `出生日期早于母亲的出生日期 ${mother.birthDate}`, `the birth date is before the mother's own birth (${mother.birthDate})`);
      }
      const motherAge = ageOn(mother.birthDate, birthDate);
      if (motherAge < MOTHER_AGE_AT_BIRTH.min || motherAge > MOTHER_AGE_AT_BIRTH.max) {
        throw badUserInput(
          "input.motherIdNumber",
          `母亲分娩时为 ${motherAge} 岁，须在 ${MOTHER_AGE_AT_BIRTH.min} 到 ${MOTHER_AGE_AT_BIRTH.max} 岁之间`,
          `the mother would be ${motherAge} at the birth; must be ${MOTHER_AGE_AT_BIRTH.min} to ${MOTHER_AGE_AT_BIRTH.max}`,
        );
      }
      const father = optionalIdNumber(input.fatherIdNumber, "input.fatherIdNumber", "MALE");
      if (father && birthDate <= father.birthDate) {
        throw badUserInput("input.fatherIdNumber", `父亲的出生日期 ${father.birthDate} 不早于孩子的出生日期`, `the father's birth date ${father.birthDate} is not before the child's`);
      }
      const institution = requireText(input.institution, "input.institution", 100);
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const motherPersonId = personIdFor(mother.normalized);

      return async (manager) => {
        if (await manager.existsBy(BirthCertificateRecord, { certificateNumber })) {
          throw badUserInput("input.certificateNumber", DUPLICATE_ZH, DUPLICATE_EN);
        }
        const earlier = manager
          .getRepository(BirthCertificateRecord)
          .createQueryBuilder("b")
          .where("b.motherPersonId = :motherPersonId", { motherPersonId })
          .andWhere("b.birthDate <= :birthDate", { birthDate });
        // MySQL: two certificates for one mother at once must not both become her first child. The lock makes
        // the second wait (or fail on a deadlock and be retried by the client); SQLite writes take turns anyway.
        if (ctx.db.dialect === "mysql") earlier.setLock("pessimistic_write");
        const birthOrder = (await earlier.getCount()) + 1;
        await uniqueAsInput("birth_certificate", "input.certificateNumber", DUPLICATE_ZH, DUPLICATE_EN, () =>
          manager.insert(BirthCertificateRecord, {
            certificateNumber,
            childName,
            sex: input.sex,
            birthDate,
            birthOrder,
            institution,
            regionCode,
            motherIdNumber: mother.normalized,
            motherPersonId,
            fatherIdNumber: father?.normalized ?? null,
            fatherPersonId: father ? personIdFor(father.normalized) : null,
          }),
        );
        return manager.findOneByOrFail(BirthCertificateRecord, { certificateNumber });
      };
    });
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency): send it back as expectedVersion when correcting the record" })
  version(@Root() certificate: BirthCertificateRecord): number {
    return certificate.version;
  }
}
