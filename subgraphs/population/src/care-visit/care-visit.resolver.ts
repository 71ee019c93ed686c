import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import type { PopulationContext } from "../context";
import { FamilyPlanningProfile } from "../family-planning/family-planning-profile.type";
import { PersonRef, personRef } from "../person/person.ref";
import type { CareVisitRecord } from "./care-visit.entity";
import { careVisitsByPerson } from "./care-visit.loaders";
import { CareVisit } from "./care-visit.type";

@Resolver(() => CareVisit)
export class CareVisitResolver {
  @FieldResolver(() => PersonRef, { nullable: true })
  person(@Root() visit: CareVisitRecord): PersonRef | null {
    return personRef(visit.personId);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  region(@Root() visit: CareVisitRecord): RegionRef | null {
    return regionRef(visit.regionCode);
  }
}

@Resolver(() => FamilyPlanningProfile)
export class FamilyPlanningCareVisitsResolver {
  @Authorized("read:family-planning")
  @FieldResolver(() => [CareVisit], { description: "走访慰问 of the person's family, oldest first" })
  careVisits(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<CareVisitRecord[]> {
    return careVisitsByPerson(ctx).load(profile.personId);
  }
}
