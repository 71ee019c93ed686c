import { In } from "typeorm";
import { canSeeRecord } from "../../../shared/src/auth/authorize";
import type { Caller } from "../../../shared/src/auth/caller";
import type { Database } from "../../../shared/src/database";
import { findAll, groupLoader, uniqueLoader } from "../../../shared/src/loaders";
import type { SubgraphContext } from "../../../shared/src/service";
import { BirthCertificateRecord } from "./birth-certificate/birth-certificate.entity";
import { PrePregnancyCheckRecord } from "./pre-pregnancy-check/pre-pregnancy-check.entity";

/** Per-request loaders; records outside the caller's jurisdiction are dropped (row-level access). */
export function createLoaders(db: Database, caller: Caller) {
  const certificates = db.dataSource.getRepository(BirthCertificateRecord);
  const checks = db.dataSource.getRepository(PrePregnancyCheckRecord);
  const visibleCertificate = (c: BirthCertificateRecord) => canSeeRecord(caller, [c.motherPersonId, c.fatherPersonId], c.regionCode);
  const visibleCheck = (c: PrePregnancyCheckRecord) => canSeeRecord(caller, [c.womanPersonId, c.manPersonId], c.regionCode);
  return {
    birthCertificateByNumber: uniqueLoader(
      async (numbers: readonly string[]) => (await findAll(certificates, { certificateNumber: In([...numbers]) })).filter(visibleCertificate),
      (c) => c.certificateNumber,
    ),
    birthsByMother: groupLoader(
      async (personIds: readonly string[]) =>
        (
          await findAll(certificates, { motherPersonId: In([...personIds]) }, { birthDate: "ASC", certificateNumber: "ASC" })
        ).filter(visibleCertificate),
      (c) => c.motherPersonId,
    ),
    prePregnancyCheckById: uniqueLoader(
      async (ids: readonly string[]) => (await findAll(checks, { id: In([...ids]) })).filter(visibleCheck),
      (c) => c.id,
    ),
    // One statement for both roles: a check belongs to the woman's list and to the man's.
    prePregnancyChecksByPerson: groupLoader(
      async (personIds: readonly string[]) =>
        (
          await findAll(checks, [{ womanPersonId: In([...personIds]) }, { manPersonId: In([...personIds]) }], { checkedOn: "ASC", id: "ASC" })
        ).filter(visibleCheck),
      (c) => (c.manPersonId && c.manPersonId !== c.womanPersonId ? [c.womanPersonId, c.manPersonId] : c.womanPersonId),
    ),
  };
}

export type HealthLoaders = ReturnType<typeof createLoaders>;
export type HealthContext = SubgraphContext<HealthLoaders>;
