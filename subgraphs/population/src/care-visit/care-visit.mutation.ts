import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture, requireText } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode } from "../../../../shared/src/writes/mutation";
import { requireNotBeforeBirth } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { CareVisitRecord } from "./care-visit.entity";
import { RecordCareVisitInput } from "./care-visit.inputs";
import { CareVisit } from "./care-visit.type";

@Resolver(() => CareVisit)
export class CareVisitMutationResolver {
  @Authorized("write:family-planning")
  @Mutation(() => CareVisit, { description: "走访慰问: record a visit of a 计生两户 or hardship family" })
  recordCareVisit(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => RecordCareVisitInput) input: RecordCareVisitInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<CareVisitRecord> {
    return performMutation(ctx, { operation: "recordCareVisit", idempotencyKey, payload: input }, async () => {
      const person = requireIdNumber(input.idNumber, "input.idNumber");
      const visitedOn = requireNotFuture(input.visitedOn, "input.visitedOn");
      requireNotBeforeBirth(visitedOn, person, "input.visitedOn", "走访日期");
      const visitedBy = requireText(input.visitedBy, "input.visitedBy", 64);
      const note = input.note != null && input.note.trim() !== "" ? requireText(input.note, "input.note", 500) : null;
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const personId = personIdFor(person.normalized);
      return async (manager) => {
        if (await manager.existsBy(CareVisitRecord, { personId, visitedOn, kind: input.kind })) {
          throw badUserInput("input.visitedOn", "这次走访已登记", "this visit is already recorded");
        }
        const id = randomUUID();
        await manager.insert(CareVisitRecord, {
          id,
          personId,
          visitedOn,
          kind: input.kind,
          visitedBy,
          note,
          regionCode,
          recordedBy: ctx.caller.sub.slice(0, 128),
        });
        return manager.findOneByOrFail(CareVisitRecord, { id });
      };
    });
  }
}
