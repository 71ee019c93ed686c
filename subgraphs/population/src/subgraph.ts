import { PLATFORM_ENTITIES, type SubgraphDefinition } from "../../../shared/src/service";
import { AssistanceEnrollmentRecord } from "./assistance/assistance-enrollment.entity";
import { AssociationMemberRecord } from "./association/association-member.entity";
import { BirthPermitRecord } from "./birth-permit/birth-permit.entity";
import { createLoaders, type PopulationLoaders } from "./context";
import { MigrationRecord } from "./migrant/migrant-record.entity";
import { mysqlMigrations } from "./migrations/mysql";
import { sqliteMigrations } from "./migrations/sqlite";
import { OnlyChildCertificateRecord } from "./only-child-certificate/only-child-certificate.entity";
import { PopulationRegisterRecord } from "./population-register/population-register.entity";
import { buildPopulationSchema } from "./schema";
import { CareVisitRecord } from "./care-visit/care-visit.entity";
import { SocialMaintenanceFeeRecord } from "./social-maintenance-fee/social-maintenance-fee.entity";
import { InterCountyNoticeRecord } from "./inter-county-notice/inter-county-notice.entity";

export const populationEntities = [
  OnlyChildCertificateRecord,
  BirthPermitRecord,
  AssistanceEnrollmentRecord,
  MigrationRecord,
  AssociationMemberRecord,
  SocialMaintenanceFeeRecord,
  CareVisitRecord,
  PopulationRegisterRecord,
  InterCountyNoticeRecord,
];

export const populationSubgraph: SubgraphDefinition<PopulationLoaders> = {
  name: "population",
  buildSchema: buildPopulationSchema,
  database: { entities: [...populationEntities, ...PLATFORM_ENTITIES], migrations: { mysql: mysqlMigrations, sqlite: sqliteMigrations } },
  createLoaders,
  auditSubjects: {
    FamilyPlanningProfile: (profile: { personId: string }) => [profile.personId],
    LateCertificateSubmission: (row: { record: { personId: string } }) => [row.record.personId],
    InterCountyNotice: (notice: { personId: string }) => [notice.personId],
    NonLocalBirthNotReported: (row: { motherPersonId: string }) => [row.motherPersonId],
  },
};
