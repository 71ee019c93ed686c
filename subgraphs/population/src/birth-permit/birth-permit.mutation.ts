import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { IsNull } from "typeorm";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import { optionalIdNumber, requireAgeBetween, requireDocumentNumber, requirePersonOfSex, requireWholeNumber } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { BirthPermitRecord } from "./birth-permit.entity";
import { ApproveBirthPermitInput } from "./birth-permit.inputs";
import { BirthPermit } from "./birth-permit.type";

/** Legal marriage ages (婚姻法 Art. 6; 民法典 Art. 1047): a permit is for a married couple. */
export const MARRIAGE_AGE = { FEMALE: 20, MALE: 22 } as const;

const DUPLICATE_ZH = "该证件编号已存在";
const DUPLICATE_EN = "a permit with this number already exists";

@Resolver(() => BirthPermit)
export class BirthPermitMutationResolver {
  /**
   * 生育登记 / 再生育审批. The conditions of a 再生育审批 (a spouse an only child, one living child, married)
   * need public-security's and civil-affairs' records: the 单独二孩 report checks them, not this write.
   */
  @Authorized("write:family-planning")
  @Mutation(() => BirthPermit, { description: "生育登记 / 再生育审批: record a couple's permit for their n-th child" })
  approveBirthPermit(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => ApproveBirthPermitInput) input: ApproveBirthPermitInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<BirthPermitRecord> {
    return performMutation(ctx, { operation: "approveBirthPermit", idempotencyKey, payload: input }, async () => {
      const number = requireDocumentNumber(input.number, "input.number", 32);
      const kind = requireText(input.kind, "input.kind", 32);
      const approvedOn = requireNotFuture(input.approvedOn, "input.approvedOn");
      const wife = requirePersonOfSex(input.wifeIdNumber, "FEMALE", "input.wifeIdNumber");
      requireAgeBetween(wife, approvedOn, MARRIAGE_AGE.FEMALE, null, "input.wifeIdNumber", "the wife (女方)");
      const husband = optionalIdNumber(input.husbandIdNumber, "input.husbandIdNumber", "MALE");
      if (husband) requireAgeBetween(husband, approvedOn, MARRIAGE_AGE.MALE, null, "input.husbandIdNumber", "the husband (男方)");
      const birthOrder = requireWholeNumber(input.birthOrder, "input.birthOrder", 1, 10);
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const wifePersonId = personIdFor(wife.normalized);
      const husbandPersonId = husband ? personIdFor(husband.normalized) : null;

      return async (manager) => {
        if (await manager.existsBy(BirthPermitRecord, { number })) throw badUserInput("input.number", DUPLICATE_ZH, DUPLICATE_EN);
        const same = await manager.findOneBy(BirthPermitRecord, { wifePersonId, husbandPersonId: husbandPersonId ?? IsNull(), birthOrder });
        if (same) {
          throw badUserInput(
            "input.birthOrder",
            `这对夫妇的第 ${birthOrder} 孩已有登记/审批 ${same.number}`,
            `the couple already has permit ${same.number} for child ${birthOrder}`,
          );
        }
        await uniqueAsInput("birth_permit", "input.number", DUPLICATE_ZH, DUPLICATE_EN, () =>
          manager.insert(BirthPermitRecord, { number, kind, approvedOn, wifePersonId, husbandPersonId, regionCode, birthOrder }),
        );
        return manager.findOneByOrFail(BirthPermitRecord, { number });
      };
    });
  }

  @FieldResolver(() => Int, { description: "Row version (optimistic concurrency)" })
  version(@Root() permit: BirthPermitRecord): number {
    return permit.version;
  }
}
