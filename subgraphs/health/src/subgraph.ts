import { PLATFORM_ENTITIES, type SubgraphDefinition } from "../../../shared/src/service";
import { BirthCertificateRecord } from "./birth-certificate/birth-certificate.entity";
import { createLoaders, type HealthLoaders } from "./context";
import { mysqlMigrations } from "./migrations/mysql";
import { sqliteMigrations } from "./migrations/sqlite";
import { PrePregnancyCheckTargetRecord } from "./pre-pregnancy-check/pre-pregnancy-check-target.entity";
import { PrePregnancyCheckRecord } from "./pre-pregnancy-check/pre-pregnancy-check.entity";
import { buildHealthSchema } from "./schema";

export const healthEntities = [BirthCertificateRecord, PrePregnancyCheckRecord, PrePregnancyCheckTargetRecord];

export const healthSubgraph: SubgraphDefinition<HealthLoaders> = {
  name: "health",
  buildSchema: buildHealthSchema,
  database: { entities: [...healthEntities, ...PLATFORM_ENTITIES], migrations: { mysql: mysqlMigrations, sqlite: sqliteMigrations } },
  createLoaders,
  auditSubjects: {
    BirthCertificate: (c: BirthCertificateRecord) => [c.motherPersonId, c.fatherPersonId],
    PrePregnancyCheck: (c: PrePregnancyCheckRecord) => [c.womanPersonId, c.manPersonId],
    // The service feed (feeds/birth-feed.resolver.ts): a certificate is about the parents.
    BirthFact: (b: { motherId: string; fatherId: string | null }) => [b.motherId, b.fatherId],
  },
};
