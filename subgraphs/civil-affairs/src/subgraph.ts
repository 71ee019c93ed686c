import { PLATFORM_ENTITIES, type SubgraphDefinition } from "../../../shared/src/service";
import { createLoaders, type CivilAffairsLoaders } from "./context";
import { DeathRegistrationRecord } from "./death/death.entity";
import { DisabilityCertificateRecord } from "./disability/disability-certificate.entity";
import { MarriageRecordRow } from "./marriage/marriage.entity";
import { mysqlMigrations } from "./migrations/mysql";
import { sqliteMigrations } from "./migrations/sqlite";
import { RegionRecord } from "./region/region.entity";
import { loadMissingRegions } from "./region/region.reference-data";
import { ReliefEnrollmentRecord } from "./relief/relief.entity";
import { buildCivilAffairsSchema } from "./schema";

export const civilAffairsEntities = [RegionRecord, MarriageRecordRow, DeathRegistrationRecord, ReliefEnrollmentRecord, DisabilityCertificateRecord];

export const civilAffairsSubgraph: SubgraphDefinition<CivilAffairsLoaders> = {
  name: "civil-affairs",
  buildSchema: buildCivilAffairsSchema,
  database: { entities: [...civilAffairsEntities, ...PLATFORM_ENTITIES], migrations: { mysql: mysqlMigrations, sqlite: sqliteMigrations } },
  createLoaders,
  auditSubjects: {
    MarriageRecord: (m: MarriageRecordRow) => [m.husbandPersonId, m.wifePersonId],
    DisabilityCertificate: (c: DisabilityCertificateRecord) => [c.personId],
    // The service feeds (feeds/civil-feeds.resolver.ts): each fact is about one person.
    MaritalStatusFact: (f: { personId: string }) => [f.personId],
    MarriageFact: (f: { husbandId: string; wifeId: string }) => [f.husbandId, f.wifeId],
    DeathFact: (f: { personId: string }) => [f.personId],
  },
  afterMigrations: async (db) => {
    await loadMissingRegions(db);
  },
};
