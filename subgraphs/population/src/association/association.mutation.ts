import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { badUserInput } from "../../../../shared/src/errors";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { personIdFor } from "../../../../shared/src/person-id";
import { requireIdNumber, requireNotFuture } from "../../../../shared/src/validation";
import { performMutation, requireInJurisdiction, requireRecordRegionCode, uniqueAsInput } from "../../../../shared/src/writes/mutation";
import { requireNotBeforeBirth } from "../../../../shared/src/writes/record-checks";
import type { PopulationContext } from "../context";
import { PersonRef, personRef } from "../person/person.ref";
import { AssociationMemberRecord } from "./association-member.entity";
import { AssociationMembership } from "./association-membership.type";
import { JoinAssociationInput } from "./association.inputs";

@Resolver(() => AssociationMembership)
export class AssociationMutationResolver {
  /** One membership per person (the table's primary key): joining twice is refused with the first date. */
  @Authorized("write:family-planning")
  @Mutation(() => AssociationMembership, { description: "计生协: a person joins the family-planning association" })
  joinAssociation(
    @Ctx() ctx: PopulationContext,
    @Arg("input", () => JoinAssociationInput) input: JoinAssociationInput,
    @Arg("idempotencyKey", () => String, { nullable: true }) idempotencyKey?: string | null,
  ): Promise<AssociationMemberRecord> {
    return performMutation(ctx, { operation: "joinAssociation", idempotencyKey, payload: input }, async () => {
      const person = requireIdNumber(input.idNumber, "input.idNumber");
      const joinedOn = requireNotFuture(input.joinedOn, "input.joinedOn");
      requireNotBeforeBirth(joinedOn, person, "input.joinedOn", "入会日期");
      const regionCode = requireRecordRegionCode(input.regionCode, "input.regionCode");
      requireInJurisdiction(ctx.caller, regionCode, "input.regionCode");
      const personId = personIdFor(person.normalized);
      return async (manager) => {
        const existing = await manager.findOneBy(AssociationMemberRecord, { personId });
        if (existing) throw badUserInput("input.idNumber", `此人已于 ${existing.joinedOn} 入会`, `already a member since ${existing.joinedOn}`);
        await uniqueAsInput("association_member", "input.idNumber", "此人已是会员", "already a member", () =>
          manager.insert(AssociationMemberRecord, { personId, joinedOn, regionCode }),
        );
        return manager.findOneByOrFail(AssociationMemberRecord, { personId });
      };
    });
  }

  @FieldResolver(() => PersonRef, { nullable: true })
  person(@Root() member: AssociationMemberRecord): PersonRef | null {
    return personRef(member.personId);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() member: AssociationMemberRecord): RegionRef | null {
    return regionRef(member.regionCode);
  }
}
