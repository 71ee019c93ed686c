import { PLATFORM_ENTITIES, type SubgraphDefinition } from "../../../shared/src/service";
import { BirthRegistrationRecord } from "./birth-registration/birth-registration.entity";
import { createLoaders, type PublicSecurityLoaders } from "./context";
import { HouseholdRecord } from "./household/household.entity";
import { HukouEventRecord } from "./hukou/hukou-event.entity";
import { mysqlMigrations } from "./migrations/mysql";
import { sqliteMigrations } from "./migrations/sqlite";
import { PersonRecord } from "./person/person.entity";
import { buildPublicSecuritySchema } from "./schema";

export const publicSecurityEntities = [PersonRecord, HouseholdRecord, BirthRegistrationRecord, HukouEventRecord];

export const publicSecuritySubgraph: SubgraphDefinition<PublicSecurityLoaders> = {
  name: "public-security",
  buildSchema: buildPublicSecuritySchema,
  database: { entities: [...publicSecurityEntities, ...PLATFORM_ENTITIES], migrations: { mysql: mysqlMigrations, sqlite: sqliteMigrations } },
  createLoaders,
  auditSubjects: {
    Household: (h: HouseholdRecord) => [h.headPersonId],
    HukouRegistration: (r: BirthRegistrationRecord) => [r.personId],
    // The service feeds (feeds/hukou-feeds.resolver.ts): a fact is about one person.
    HukouPersonFact: (f: { id: string }) => [f.id],
  },
};
