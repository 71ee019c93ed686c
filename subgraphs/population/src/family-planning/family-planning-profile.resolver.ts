import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { AssistanceEnrollmentRecord } from "../assistance/assistance-enrollment.entity";
import { AssistanceEnrollment } from "../assistance/assistance-enrollment.type";
import type { BirthPermitRecord } from "../birth-permit/birth-permit.entity";
import { BirthPermit } from "../birth-permit/birth-permit.type";
import type { PopulationContext } from "../context";
import type { MigrationRecord } from "../migrant/migrant-record.entity";
import { MigrantRecord } from "../migrant/migrant-record.type";
import type { OnlyChildCertificateRecord } from "../only-child-certificate/only-child-certificate.entity";
import { OnlyChildCertificate } from "../only-child-certificate/only-child-certificate.type";
import { FamilyPlanningProfile } from "./family-planning-profile.type";

@Resolver(() => FamilyPlanningProfile)
export class FamilyPlanningProfileResolver {
  @Authorized("read:family-planning")
  @FieldResolver(() => [OnlyChildCertificate], { description: "Certificates naming the person as father, mother or child" })
  onlyChildCertificates(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<OnlyChildCertificateRecord[]> {
    return ctx.loaders.onlyChildCertificatesByPerson.load(profile.personId);
  }

  @Authorized("read:family-planning")
  @FieldResolver(() => [BirthPermit], { description: "Permits naming the person as wife or husband" })
  birthPermits(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<BirthPermitRecord[]> {
    return ctx.loaders.birthPermitsByPerson.load(profile.personId);
  }

  @Authorized("read:family-planning")
  @FieldResolver(() => [AssistanceEnrollment])
  assistance(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<AssistanceEnrollmentRecord[]> {
    return ctx.loaders.assistanceByPerson.load(profile.personId);
  }

  @Authorized("read:migrants")
  @FieldResolver(() => [MigrantRecord])
  migrations(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<MigrationRecord[]> {
    return ctx.loaders.migrationsByPerson.load(profile.personId);
  }

  @Authorized("read:family-planning")
  @FieldResolver(() => Boolean, { description: "计生协会员" })
  async associationMember(@Root() profile: FamilyPlanningProfile, @Ctx() ctx: PopulationContext): Promise<boolean> {
    return (await ctx.loaders.associationMemberByPerson.load(profile.personId)) !== null;
  }
}
