import { FieldResolver, Resolver, Root } from "type-graphql";
import { RegionRef, regionRef } from "../../../../shared/src/graphql/common";
import { PersonRef, personRef } from "../person/person.ref";
import type { MigrationRecord } from "./migrant-record.entity";
import { MarriageFertilityCertificate, MigrantRecord } from "./migrant-record.type";

@Resolver(() => MigrantRecord)
export class MigrantRecordResolver {
  @FieldResolver(() => PersonRef, { nullable: true })
  person(@Root() record: MigrationRecord): PersonRef | null {
    return personRef(record.personId);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  from(@Root() record: MigrationRecord): RegionRef | null {
    return regionRef(record.fromRegionCode);
  }

  @FieldResolver(() => RegionRef, { nullable: true })
  to(@Root() record: MigrationRecord): RegionRef | null {
    return regionRef(record.toRegionCode);
  }

  // All three fields of the certificate are non-null in the contract, so a record missing its number or
  // either date shows no certificate: an incomplete 婚育证明 is treated as none, as the reports will.
  @FieldResolver(() => MarriageFertilityCertificate, { nullable: true, description: "null = no (complete) 婚育证明 on record" })
  certificate(@Root() record: MigrationRecord): MarriageFertilityCertificate | null {
    if (!record.certificateNumber || !record.certificateIssuedOn || !record.certificateValidUntil) return null;
    return { number: record.certificateNumber, issuedOn: record.certificateIssuedOn, validUntil: record.certificateValidUntil };
  }
}
