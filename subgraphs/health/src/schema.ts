import type { GraphQLSchema } from "graphql";
import { PersonAccessLogResolver } from "./person/person-access-log.resolver";
import { buildFederatedSchema } from "../../../shared/src/federation";
import { RegionRef } from "../../../shared/src/graphql/common";
import { BirthCertificateResolver, birthCertificateReference } from "./birth-certificate/birth-certificate.resolver";
import { PersonHealthResolver, personReference } from "./person/person-health.resolver";
import { PersonRef } from "./person/person.ref";
import { PrePregnancyCheckResolver, prePregnancyCheckReference } from "./pre-pregnancy-check/pre-pregnancy-check.resolver";
import { BirthFeedResolver } from "./feeds/birth-feed.resolver";
import { BirthsOfMothersResolver } from "./feeds/births-of-mothers.resolver";
import { BirthCertificateMutationResolver } from "./birth-certificate/birth-certificate.mutation";
import { PrePregnancyCheckMutationResolver, PrePregnancyCheckTargetResolver } from "./pre-pregnancy-check/pre-pregnancy-check.mutation";
import { StatisticsResolver } from "./statistics/statistics.resolver";
import { CheckedSinceResolver } from "./statistics/checked-since.resolver";

/** Pure: no database, no network. Used by the service, by tests and by composition. */
export function buildHealthSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        BirthCertificateResolver, PrePregnancyCheckResolver, PersonAccessLogResolver, PersonHealthResolver,
        // Write paths (mutations), and the version fields of the records they write.
        BirthCertificateMutationResolver, PrePregnancyCheckMutationResolver, PrePregnancyCheckTargetResolver,
        // Service feed for the population department's reconciliation reports.
        BirthFeedResolver,
        // Statistics of the eligibility/statistics reports (issue 4: sex ratio at birth, pre-pregnancy check coverage).
        StatisticsResolver,
        CheckedSinceResolver,
        BirthsOfMothersResolver,
      ],
      orphanedTypes: [RegionRef, PersonRef],
    },
    { BirthCertificate: birthCertificateReference, PrePregnancyCheck: prePregnancyCheckReference, Person: personReference },
  );
}
