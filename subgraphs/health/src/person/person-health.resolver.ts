import { Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { BirthCertificate } from "../birth-certificate/birth-certificate.type";
import type { BirthCertificateRecord } from "../birth-certificate/birth-certificate.entity";
import type { HealthContext } from "../context";
import { PrePregnancyCheck } from "../pre-pregnancy-check/pre-pregnancy-check.type";
import type { PrePregnancyCheckRecord } from "../pre-pregnancy-check/pre-pregnancy-check.entity";
import { PersonRef } from "./person.ref";

// Both lists are nullable in the supergraph: they cross into public-security's Person, so a failure here
// must yield null for the field, not lose the person.
@Resolver(() => PersonRef)
export class PersonHealthResolver {
  @Authorized("read:births")
  @FieldResolver(() => [BirthCertificate], { nullable: true, description: "Births where this person is the mother, oldest first" })
  birthsGiven(@Root() person: PersonRef, @Ctx() ctx: HealthContext): Promise<BirthCertificateRecord[]> {
    return ctx.loaders.birthsByMother.load(person.id);
  }

  @Authorized("read:health")
  @FieldResolver(() => [PrePregnancyCheck], {
    nullable: true,
    description: "孕前优生健康检查 where this person is the woman or the man, oldest first",
  })
  prePregnancyChecks(@Root() person: PersonRef, @Ctx() ctx: HealthContext): Promise<PrePregnancyCheckRecord[]> {
    return ctx.loaders.prePregnancyChecksByPerson.load(person.id);
  }
}

/**
 * Any id is a valid Person here: health holds no person table, and a person with no health records simply
 * has empty lists. Answering without the database keeps a Person fetch cheap when only other fields are asked.
 */
export const personReference = {
  __resolveReference(reference: { id: string }): PersonRef {
    return { id: reference.id };
  },
};
