import { FieldResolver, Resolver, Root } from "type-graphql";
import { PersonRef, personRef } from "../person/person.ref";
import type { OnlyChildCertificateRecord } from "./only-child-certificate.entity";
import { OnlyChildCertificate } from "./only-child-certificate.type";

@Resolver(() => OnlyChildCertificate)
export class OnlyChildCertificateResolver {
  @FieldResolver(() => PersonRef, { nullable: true, description: "null when the child is not linked to a person id (e.g. no ID number yet)" })
  child(@Root() certificate: OnlyChildCertificateRecord): PersonRef | null {
    return personRef(certificate.childPersonId);
  }
}
