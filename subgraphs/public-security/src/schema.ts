import type { GraphQLSchema } from "graphql";
import { buildFederatedSchema } from "../../../shared/src/federation";
import { RegionRef } from "../../../shared/src/graphql/common";
import {
  BirthCertificateRef,
  BirthCertificateRegistrationResolver,
  HukouRegistrationResolver,
  birthCertificateReference,
} from "./birth-registration/birth-registration.resolver";
import { BirthRegistrationMutationResolver } from "./birth-registration/birth-registration.mutation";
import { HouseholdResolver, householdReference } from "./household/household.resolver";
import { HouseholdVersionResolver, PersonHukouHistoryResolver } from "./hukou/hukou-event.resolver";
import { HukouMutationResolver } from "./hukou/hukou.mutation";
import { PersonResolver, personReference } from "./person/person.resolver";
import { HukouFeedsResolver } from "./feeds/hukou-feeds.resolver";
import { PersonFeedResolver } from "./feeds/person-feeds.resolver";
import { BirthRegistrationFeedResolver } from "./feeds/birth-registration-feed.resolver";

/** Pure: no database, no network. Used by the service, by tests and by composition. */
export function buildPublicSecuritySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        PersonResolver,
        HouseholdResolver,
        BirthCertificateRegistrationResolver,
        HukouRegistrationResolver,
        PersonHukouHistoryResolver,
        HouseholdVersionResolver,
        BirthRegistrationMutationResolver,
        HukouMutationResolver,
        // Service feeds for the population department's reconciliation reports.
        HukouFeedsResolver,
        // Eligibility, migrant and statistics reports (issue 4)
        PersonFeedResolver,
        BirthRegistrationFeedResolver,
      ],
      orphanedTypes: [RegionRef, BirthCertificateRef],
    },
    { Person: personReference, Household: householdReference, BirthCertificate: birthCertificateReference },
  );
}
