import { Authorized, Ctx, Directive, Field, FieldResolver, ID, ObjectType, Resolver, Root } from "type-graphql";
import { DateScalar } from "../../../../shared/src/scalars";
import type { PublicSecurityContext } from "../context";
import type { PersonRecord } from "../person/person.entity";
import { Person } from "../person/person.type";
import type { BirthRegistrationRecord } from "./birth-registration.entity";

@ObjectType({ description: "出生登记 (落户) made from a birth certificate" })
export class HukouRegistration {
  @Authorized("read:hukou")
  @Field(() => DateScalar)
  registeredOn: string;
}

/** Health owns BirthCertificate; public-security contributes whether (and when) the child was registered. */
@Directive('@key(fields: "certificateNumber")')
@ObjectType("BirthCertificate")
export class BirthCertificateRef {
  @Field(() => ID)
  certificateNumber: string;
}

@Resolver(() => BirthCertificateRef)
export class BirthCertificateRegistrationResolver {
  @Authorized("read:hukou")
  @FieldResolver(() => HukouRegistration, { nullable: true, description: "null = the child has not been registered (未落户)" })
  hukouRegistration(
    @Root() certificate: BirthCertificateRef,
    @Ctx() ctx: PublicSecurityContext,
  ): Promise<BirthRegistrationRecord | null> {
    return ctx.loaders.birthRegistrationByCertificate.load(certificate.certificateNumber);
  }
}

@Resolver(() => HukouRegistration)
export class HukouRegistrationResolver {
  @Authorized("read:hukou")
  @FieldResolver(() => Person, { nullable: true })
  person(@Root() registration: BirthRegistrationRecord, @Ctx() ctx: PublicSecurityContext): Promise<PersonRecord | null> {
    return ctx.loaders.personById.load(registration.personId);
  }
}

export const birthCertificateReference = {
  __resolveReference(reference: { certificateNumber: string }): BirthCertificateRef {
    return { certificateNumber: reference.certificateNumber };
  },
};
