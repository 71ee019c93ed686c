import type { GraphQLSchema } from "graphql";
import { PersonAccessLogResolver } from "./person/person-access-log.resolver";
import { buildFederatedSchema } from "../../../shared/src/federation";
import { CivilAffairsFeedsResolver } from "./feeds/civil-feeds.resolver";
import { DeathMutationResolver } from "./death/death.mutation";
import { DisabilityCertificateMutationResolver } from "./disability/disability-certificate.mutation";
import { MarriageMutationResolver, MarriageRecordVersionResolver } from "./marriage/marriage.mutation";
import { MarriageRecordResolver, marriageRecordReference } from "./marriage/marriage.resolver";
import { DeathFeedResolver, DeathRegistrationRegionResolver, PersonCivilAffairsResolver } from "./person/person-civil-affairs.resolver";
import { PersonRef, personReference } from "./person/person.ref";
import { RegionResolver, regionReference } from "./region/region.resolver";
import { ReliefEnrollmentFieldsResolver, ReliefMutationResolver } from "./relief/relief.mutation";

/** Pure: no database, no network. Used by the service, by tests and by composition. */
export function buildCivilAffairsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        RegionResolver,
        MarriageRecordResolver,
        PersonAccessLogResolver,
        PersonCivilAffairsResolver,
        MarriageRecordVersionResolver,
        ReliefEnrollmentFieldsResolver,
        MarriageMutationResolver,
        DeathMutationResolver,
        ReliefMutationResolver,
        // Service feeds for the population department's reconciliation reports.
        CivilAffairsFeedsResolver,
        // 残疾人证 for 特别扶助 (issue 4, eligibility)
        DisabilityCertificateMutationResolver,
        DeathRegistrationRegionResolver,
        DeathFeedResolver,
      ],
      orphanedTypes: [PersonRef],
    },
    { Region: regionReference, MarriageRecord: marriageRecordReference, Person: personReference },
  );
}
