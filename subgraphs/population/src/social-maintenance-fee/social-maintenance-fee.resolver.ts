import { Authorized, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import type { PopulationContext } from "../context";
import { FamilyPlanningProfile } from "../family-planning/family-planning-profile.type";
import { PersonRef, personRef } from "../person/person.ref";
import type { SocialMaintenanceFeeRecord } from "./social-maintenance-fee.entity";
import { feeCasesByPerson } from "./social-maintenance-fee.loaders";
import { SocialMaintenanceFeeCase } from "./social-maintenance-fee.type";

@Resolver(() => SocialMaintenanceFeeCase)
export class SocialMaintenanceFeeCaseResolver {
  @FieldResolver(() => PersonRef, { nullable: true, description: "null when the child has no ID number on the case" })
  child(@Root() fee: SocialMaintenanceFeeRecord): PersonRef | null {
    return personRef(fee.childPersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true })
  mother(@Root() fee: SocialMaintenanceFeeRecord): PersonRef | null {
    return personRef(fee.motherPersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true })
  father(@Root() fee: SocialMaintenanceFeeRecord): PersonRef | null {
    return personRef(fee.fatherPersonId);
  }

  @FieldResolver(() => RegionRef, { nullable: true, description: "The county whose 计生 department decided" })
  decidingCounty(@Root() fee: SocialMaintenanceFeeRecord): RegionRef | null {
    return regionRef(fee.decidingCountyCode);
  }

  @FieldResolver(() => Int)
  outstandingYuan(@Root() fee: SocialMaintenanceFeeRecord): number {
    return fee.amountYuan - fee.paidYuan;
  }
}

@Resolver(() => FamilyPlanningProfile)
export class FamilyPlanningFeeCasesResolver {
  @Authorized("read:family-planning")
  @FieldResolver(() => [SocialMaintenanceFeeCase], { description: "社会抚养费 cases naming the person as mother, father or child" })
  socialMaintenanceFees(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<SocialMaintenanceFeeRecord[]> {
    return feeCasesByPerson(ctx).load(profile.personId);
  }
}
