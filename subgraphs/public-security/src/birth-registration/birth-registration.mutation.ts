import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import type { Sex } from "../../../../shared/src/graphql/common";
import { personIdFor } from "../../../../shared/src/person-id";
import { queryPlatform } from "../../../../shared/src/platform-client";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireSexOf, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import type { PublicSecurityContext } from "../context";
import { recordHukouEvent, requireHousehold, requireNotBeforeBirth } from "../hukou/hukou.mutation";
import { PersonRecord } from "../person/person.entity";
import { PersonStatus } from "../person/person.enums";
import { BirthRegistrationRecord } from "./birth-registration.entity";
import { RegisterNewbornInput } from "./birth-registration.inputs";
import { HukouRegistration } from "./birth-registration.resolver";

interface CertificateAnswer {
  birthCertificate: {
    certificateNumber: string;
    childName: string;
    sex: "MALE" | "FEMALE";
    birthDate: string;
    mother: { id: string } | null;
    father: { id: string } | null;
  } | null;
}

const CERTIFICATE_QUERY = `query($n: ID!) { birthCertificate(certificateNumber: $n) { certificateNumber childName sex birthDate mother { id } father { id } } }`;

/** The child's 与户主关系, from the place in the household of the parent who is a member of it. */
const CHILD_RELATION: Record<string, { MALE: string; FEMALE: string }> = {
  户主: { MALE: "子", FEMALE: "女" },
  配偶: { MALE: "子", FEMALE: "女" },
  子: { MALE: "孙子", FEMALE: "孙女" },
  儿媳: { MALE: "孙子", FEMALE: "孙女" },
  女: { MALE: "外孙子", FEMALE: "外孙女" },
  女婿: { MALE: "外孙子", FEMALE: "外孙女" },
};

type BirthRegistrationRow = Pick<BirthRegistrationRecord, "certificateNumber" | "personId" | "registeredOn">;

@Resolver()
export class BirthRegistrationMutationResolver {
  @Authorized("write:hukou")
  @Mutation(() => HukouRegistration, {
    description: "出生登记 (落户): enters a newborn into a household from the health department's birth certificate, checked through the graph",
  })
  registerNewborn(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("input", () => RegisterNewbornInput) input: RegisterNewbornInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<BirthRegistrationRow> {
    const certificateNumber = requireText(input.certificateNumber, "input.certificateNumber", 20);
    const id = requireIdNumber(input.idNumber, "input.idNumber");
    const name = requireText(input.name, "input.name", 64);
    const householdNumber = requireText(input.householdNumber, "input.householdNumber", 20);
    const registeredOn = requireNotFuture(input.registeredOn, "input.registeredOn");
    requireNotBeforeBirth(registeredOn, id, "input.registeredOn");
    const relationToHead = input.relationToHead != null ? requireText(input.relationToHead, "input.relationToHead", 16) : null;
    const ethnicity = input.ethnicity != null ? requireText(input.ethnicity, "input.ethnicity", 32) : null;
    const payload = { certificateNumber, idNumber: id.normalized, name, householdNumber, registeredOn, relationToHead, ethnicity };
    const personId = personIdFor(id.normalized);

    const run = () =>
      performMutation(ctx, { operation: "registerNewborn", idempotencyKey, payload }, async () => {
        // Jurisdiction first: a clerk of another county cannot make this department read health's certificate.
        const household = await requireHousehold(ctx.db.dataSource.manager, ctx.caller, householdNumber, "input.householdNumber");
        // Health owns the certificate: read it through the gateway, never from health's database.
        const { birthCertificate: certificate } = await queryPlatform<CertificateAnswer>(
          "public-security",
          ctx.caller,
          `落户核验 出生医学证明 ${certificateNumber}`,
          CERTIFICATE_QUERY,
          { n: certificateNumber },
        );
        if (!certificate) throw badUserInput("input.certificateNumber", "出生医学证明不存在", "no such birth certificate");
        if (certificate.birthDate !== id.birthDate) {
          throw badUserInput(
            "input.idNumber",
            `身份号码中的出生日期 ${id.birthDate} 与出生医学证明 (${certificate.birthDate}) 不符`,
            `the ID number's birth date ${id.birthDate} differs from the certificate's (${certificate.birthDate})`,
          );
        }
        requireSexOf(id, certificate.sex, "input.idNumber");

        return async (manager) => {
          if (await manager.existsBy(BirthRegistrationRecord, { certificateNumber })) {
            throw badUserInput("input.certificateNumber", "该出生医学证明已办理落户", "this certificate has been registered already");
          }
          if (await manager.existsBy(PersonRecord, { id: personId })) {
            throw badUserInput("input.idNumber", "该身份号码已有户口登记", "this ID number is already in the hukou register");
          }
          const parentIds = [certificate.mother?.id, certificate.father?.id].filter((p): p is string => !!p);
          const parents = await Promise.all(parentIds.map((parentId) => manager.findOneBy(PersonRecord, { id: parentId })));
          const mother = parents[0] && parents[0].id === certificate.mother?.id ? parents[0] : null;
          const parentInHousehold = parents.find((p) => p && p.householdNumber === household.householdNumber && p.relationToHead);
          const relation =
            relationToHead ??
            (parentInHousehold ? CHILD_RELATION[parentInHousehold.relationToHead!]?.[id.sex] : undefined) ??
            (id.sex === "MALE" ? "子" : "女");
          await manager.insert(PersonRecord, {
            id: personId,
            idNumber: id.normalized,
            name,
            sex: id.sex as Sex,
            birthDate: id.birthDate,
            ethnicity: ethnicity ?? mother?.ethnicity ?? null,
            status: PersonStatus.ACTIVE,
            householdNumber: household.householdNumber,
            relationToHead: relation,
            hukouType: household.type,
            hukouRegionCode: household.regionCode,
            hukouRegisteredOn: registeredOn,
            hukouCancelledOn: null,
            residenceRegionCode: household.regionCode,
            residenceAddress: household.address,
            residenceSince: registeredOn,
          });
          const registration: BirthRegistrationRow = { certificateNumber, personId, registeredOn };
          await manager.insert(BirthRegistrationRecord, registration);
          await recordHukouEvent(manager, ctx.caller, {
            personId,
            kind: "BIRTH_REGISTRATION",
            on: registeredOn,
            from: null,
            to: household.regionCode,
            householdNumber: household.householdNumber,
          });
          return registration;
        };
      });
    return uniqueAsInput("birth_registration", "input.certificateNumber", "该出生医学证明已办理落户", "this certificate has been registered already", () =>
      uniqueAsInput("person", "input.idNumber", "该身份号码已有户口登记", "this ID number is already in the hukou register", run),
    );
  }
}
