import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import type { ValidIdNumber } from "../../../../shared/src/id-number";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireNotFuture } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import { optionalIdNumber, requireDocumentNumber, requireNotBeforeBirth } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { OnlyChildCertificateRecord } from "./only-child-certificate.entity";
import { IssueOnlyChildCertificateInput } from "./only-child-certificate.inputs";
import { OnlyChildCertificate } from "./only-child-certificate.type";

const DUPLICATE_ZH = "该光荣证编号已存在";
const DUPLICATE_EN = "an only-child certificate with this number already exists";

@Resolver(() => OnlyChildCertificate)
export class OnlyChildCertificateMutationResolver {
  @Authorized("write:family-planning")
  @Mutation(() => OnlyChildCertificate, { description: "独生子女父母光荣证: issue a certificate to the parents of an only child" })
  issueOnlyChildCertificate(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => IssueOnlyChildCertificateInput) input: IssueOnlyChildCertificateInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<OnlyChildCertificateRecord> {
    return performMutation(ctx, { operation: "issueOnlyChildCertificate", idempotencyKey, payload: input }, async () => {
      const number = requireDocumentNumber(input.number, "input.number", 32);
      const issuedOn = requireNotFuture(input.issuedOn, "input.issuedOn");
      const father = optionalIdNumber(input.fatherIdNumber, "input.fatherIdNumber", "MALE");
      const mother = optionalIdNumber(input.motherIdNumber, "input.motherIdNumber", "FEMALE");
      if (!father && !mother) {
        throw badUserInput("input.motherIdNumber", "须至少填写父母一方的身份号码", "at least one parent's ID number is required");
      }
      const child = optionalIdNumber(input.childIdNumber, "input.childIdNumber");
      if (child) {
        requireYoungerThan(child, father, "父亲 (father)");
        requireYoungerThan(child, mother, "母亲 (mother)");
        requireNotBeforeBirth(issuedOn, child, "input.issuedOn", "发证日期");
      }
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");

      return async (manager) => {
        if (await manager.existsBy(OnlyChildCertificateRecord, { number })) throw badUserInput("input.number", DUPLICATE_ZH, DUPLICATE_EN);
        await uniqueAsInput("only_child_certificate", "input.number", DUPLICATE_ZH, DUPLICATE_EN, () =>
          manager.insert(OnlyChildCertificateRecord, {
            number,
            issuedOn,
            fatherPersonId: father ? personIdFor(father.normalized) : null,
            motherPersonId: mother ? personIdFor(mother.normalized) : null,
            childPersonId: child ? personIdFor(child.normalized) : null,
            regionCode,
          }),
        );
        return manager.findOneByOrFail(OnlyChildCertificateRecord, { number });
      };
    });
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency)" })
  version(@Root() certificate: OnlyChildCertificateRecord): number {
    return certificate.version;
  }
}

function requireYoungerThan(child: ValidIdNumber, parent: ValidIdNumber | null, role: string): void {
  if (parent && child.birthDate <= parent.birthDate) {
    throw badUserInput("input.childIdNumber", `孩子的出生日期 ${child.birthDate} 不晚于${role}的出生日期`, `the child's birth date ${child.birthDate} is not after the ${role}'s`);
  }
}
