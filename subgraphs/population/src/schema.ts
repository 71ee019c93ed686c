import type { GraphQLSchema } from "graphql";
import { PersonAccessLogResolver } from "./person/person-access-log.resolver";
import { VerifyOnlyChildResolver } from "./only-child-certificate/verify-only-child.resolver";
import { buildFederatedSchema } from "../../../shared/src/federation";
import { RegionRef } from "../../../shared/src/graphql/common";
import { AssistanceEnrollmentResolver } from "./assistance/assistance-enrollment.resolver";
import { BirthPermitResolver } from "./birth-permit/birth-permit.resolver";
import { FamilyPlanningProfileResolver } from "./family-planning/family-planning-profile.resolver";
import { MigrantRecordResolver } from "./migrant/migrant-record.resolver";
import { OnlyChildCertificateResolver } from "./only-child-certificate/only-child-certificate.resolver";
import { PersonPopulationResolver, personReference } from "./person/person-population.resolver";
import { PersonRef } from "./person/person.ref";
import { AssistanceEnrollmentMutationResolver } from "./assistance/assistance.mutation";
import { AssociationMutationResolver } from "./association/association.mutation";
import { BirthPermitMutationResolver } from "./birth-permit/birth-permit.mutation";
import { CareVisitMutationResolver } from "./care-visit/care-visit.mutation";
import { CareVisitResolver, FamilyPlanningCareVisitsResolver } from "./care-visit/care-visit.resolver";
import { MigrantRecordMutationResolver } from "./migrant/migrant.mutation";
import { OnlyChildCertificateMutationResolver } from "./only-child-certificate/only-child-certificate.mutation";
import { SocialMaintenanceFeeMutationResolver } from "./social-maintenance-fee/social-maintenance-fee.mutation";
import { FamilyPlanningFeeCasesResolver, SocialMaintenanceFeeCaseResolver } from "./social-maintenance-fee/social-maintenance-fee.resolver";

// Reconciliation and data-quality reports (issue 4, DOMAIN.md §5 reports 1, 2, 8, 10–14).
import { BirthCertificateRef, birthCertificateReference } from "./reports/birth-certificate.ref";
import { DataQualityResolver } from "./reports/data-quality/data-quality.resolver";
import { UncancelledDeathsResolver } from "./reports/uncancelled-deaths/uncancelled-deaths.resolver";
import { UnregisteredBirthsResolver } from "./reports/unregistered-births/unregistered-births.resolver";
// Eligibility, migrant, statistics and visit reports (issue 4, DOMAIN.md §5 reports 4–7, 9, 15).
import { PersonEligibilityResolver } from "./reports/eligibility/person-eligibility.resolver";
import { AssistanceCandidatesResolver } from "./reports/assistance-candidates/assistance-candidates.resolver";
import { AssistanceAnomaliesResolver } from "./reports/assistance-anomalies/assistance-anomalies.resolver";
import { LateCertificateSubmissionResolver, MigrantReportsResolver } from "./reports/migrants/migrants.resolver";
import { NewMarriagesResolver } from "./reports/new-marriages/new-marriages.resolver";
import { CareVisitListResolver } from "./reports/care-visit-list/care-visit-list.resolver";
// Reconciliation reports of births against the registers, permits and fees (issue 4, DOMAIN.md §5 reports 2, 8, 11, 12).
import { BirthPermitAuditResolver } from "./reports/birth-permit-audit/birth-permit-audit.resolver";
import { BirthsMissingFromPopulationRegisterResolver } from "./reports/births-missing-from-population-register/births-missing-from-population-register.resolver";
import { MothersUnderageOrUnmarriedResolver } from "./reports/mothers-underage-or-unmarried/mothers-underage-or-unmarried.resolver";
import { SocialMaintenanceFeeAuditResolver } from "./reports/social-maintenance-fee-audit/social-maintenance-fee-audit.resolver";
import { InterCountyNoticeMutationResolver } from "./inter-county-notice/inter-county-notice.mutation";
import { FamilyPlanningNoticesResolver, InterCountyNoticeResolver } from "./inter-county-notice/inter-county-notice.resolver";
// Inter-county reports (issue 4, DOMAIN.md §5 report 10).
import { InterCountyReportsResolver, NonLocalBirthNotReportedResolver } from "./reports/inter-county/inter-county-reports.resolver";

/** Pure: no database, no network. Used by the service, by tests and by composition. */
export function buildPopulationSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        PersonAccessLogResolver, PersonPopulationResolver, VerifyOnlyChildResolver,
        FamilyPlanningProfileResolver,
        OnlyChildCertificateResolver,
        BirthPermitResolver,
        AssistanceEnrollmentResolver,
        MigrantRecordResolver,
        // Write paths (mutations, with the id and version fields of the records they write) and the records they add.
        MigrantRecordMutationResolver,
        AssistanceEnrollmentMutationResolver,
        OnlyChildCertificateMutationResolver,
        BirthPermitMutationResolver,
        SocialMaintenanceFeeMutationResolver,
        SocialMaintenanceFeeCaseResolver,
        FamilyPlanningFeeCasesResolver,
        CareVisitMutationResolver,
        CareVisitResolver,
        FamilyPlanningCareVisitsResolver,
        AssociationMutationResolver,
        InterCountyNoticeMutationResolver,
        InterCountyNoticeResolver,
        FamilyPlanningNoticesResolver,
        // Reconciliation and data-quality reports.
        UnregisteredBirthsResolver,
        UncancelledDeathsResolver,
        DataQualityResolver,
        // Eligibility, migrant, statistics and visit reports (issue 4).
        PersonEligibilityResolver,
        AssistanceCandidatesResolver,
        AssistanceAnomaliesResolver,
        MigrantReportsResolver,
        LateCertificateSubmissionResolver,
        NewMarriagesResolver,
        CareVisitListResolver,
        // Reconciliation reports of births against the registers, permits and fees.
        BirthsMissingFromPopulationRegisterResolver,
        MothersUnderageOrUnmarriedResolver,
        BirthPermitAuditResolver,
        SocialMaintenanceFeeAuditResolver,
        // Inter-county notices and 协查.
        InterCountyReportsResolver,
        NonLocalBirthNotReportedResolver,
      ],
      orphanedTypes: [PersonRef, RegionRef, BirthCertificateRef],
    },
    { Person: personReference, BirthCertificate: birthCertificateReference },
  );
}
