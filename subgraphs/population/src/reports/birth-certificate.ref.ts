import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * Health owns BirthCertificate; reports return references to it, and the gateway fetches the certificate's
 * fields from health (and hukouRegistration from public-security) with the analyst's own grants.
 */
@Directive('@key(fields: "certificateNumber")')
@ObjectType("BirthCertificate")
export class BirthCertificateRef {
  @Field(() => ID)
  certificateNumber: string;
}

export const birthCertificateReference = {
  __resolveReference(reference: { certificateNumber: string }): BirthCertificateRef {
    return { certificateNumber: reference.certificateNumber };
  },
};
