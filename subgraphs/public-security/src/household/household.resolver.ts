import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { requireText } from "../../../../shared/src/validation";
import type { PublicSecurityContext } from "../context";
import type { PersonRecord } from "../person/person.entity";
import { Person } from "../person/person.type";
import type { HouseholdRecord } from "./household.entity";
import { Household } from "./household.type";

@Resolver(() => Household)
export class HouseholdResolver {
  @Authorized("read:hukou")
  @Query(() => Household, { nullable: true })
  household(
    @Ctx() ctx: PublicSecurityContext,
    @Arg("householdNumber", () => ID) householdNumber: string,
  ): Promise<HouseholdRecord | null> {
    return ctx.loaders.householdByNumber.load(requireText(householdNumber, "householdNumber", 20));
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() household: HouseholdRecord): RegionRef | null {
    return regionRef(household.regionCode);
  }

  @Authorized("read:hukou")
  @FieldResolver(() => Person, { nullable: true })
  head(@Root() household: HouseholdRecord, @Ctx() ctx: PublicSecurityContext): Promise<PersonRecord | null> | null {
    return household.headPersonId ? ctx.loaders.personById.load(household.headPersonId) : null;
  }

  @Authorized("read:hukou")
  @FieldResolver(() => [Person], { nullable: true })
  members(@Root() household: HouseholdRecord, @Ctx() ctx: PublicSecurityContext): Promise<PersonRecord[]> {
    return ctx.loaders.membersByHousehold.load(household.householdNumber);
  }
}

export const householdReference = {
  __resolveReference(reference: { householdNumber: string }, ctx: PublicSecurityContext) {
    return ctx.loaders.householdByNumber.load(reference.householdNumber);
  },
};
