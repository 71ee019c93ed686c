import { In } from "typeorm";
import { canSeePerson, canSeeRecord } from "../../../shared/src/auth/authorize";
import type { Caller } from "../../../shared/src/auth/caller";
import type { Database } from "../../../shared/src/database";
import { findAll, groupLoader, uniqueLoader } from "../../../shared/src/loaders";
import type { SubgraphContext } from "../../../shared/src/service";
import { DeathRegistrationRecord } from "./death/death.entity";
import { DisabilityCertificateRecord } from "./disability/disability-certificate.entity";
import { MarriageRecordRow } from "./marriage/marriage.entity";
import { RegionRecord } from "./region/region.entity";
import { ReliefEnrollmentRecord } from "./relief/relief.entity";

/** Per-request loaders; records outside the caller's jurisdiction are dropped (row-level access). Divisions are public. */
export function createLoaders(db: Database, caller: Caller) {
  const regions = db.dataSource.getRepository(RegionRecord);
  const marriages = db.dataSource.getRepository(MarriageRecordRow);
  const deaths = db.dataSource.getRepository(DeathRegistrationRecord);
  const relief = db.dataSource.getRepository(ReliefEnrollmentRecord);
  const disability = db.dataSource.getRepository(DisabilityCertificateRecord);
  const visibleMarriage = (m: MarriageRecordRow) => canSeeRecord(caller, [m.husbandPersonId, m.wifePersonId], m.regionCode);
  return {
    regionByCode: uniqueLoader((codes: readonly string[]) => findAll(regions, { code: In([...codes]) }), (r) => r.code),
    regionChildren: groupLoader(
      (codes: readonly string[]) => findAll(regions, { parentCode: In([...codes]) }, { code: "ASC" }),
      (r) => r.parentCode as string,
    ),
    marriageByNumber: uniqueLoader(
      async (numbers: readonly string[]) => (await findAll(marriages, { registrationNumber: In([...numbers]) })).filter(visibleMarriage),
      (m) => m.registrationNumber,
    ),
    // Unfiltered: marital status is derived from all of a person's registrations; the `marriages` field
    // shows only those in the caller's jurisdiction (visibleMarriage).
    marriagesByPerson: groupLoader(
      (ids: readonly string[]) =>
        findAll(marriages, [{ husbandPersonId: In([...ids]) }, { wifePersonId: In([...ids]) }], { registeredOn: "ASC", registrationNumber: "ASC" }),
      (m) => [m.husbandPersonId, m.wifePersonId],
    ),
    visibleMarriage,
    // Marital status needs the spouse's death whatever the caller's jurisdiction: it is not shown, only used.
    deathByPersonUnfiltered: uniqueLoader((ids: readonly string[]) => findAll(deaths, { personId: In([...ids]) }), (d) => d.personId),
    deathByPerson: uniqueLoader(
      async (ids: readonly string[]) => (await findAll(deaths, { personId: In([...ids]) })).filter((d) => canSeePerson(caller, d.personId, d.regionCode)),
      (d) => d.personId,
    ),
    disabilityByPerson: groupLoader(
      async (ids: readonly string[]) =>
        (await findAll(disability, { personId: In([...ids]) }, { issuedOn: "ASC", certificateNumber: "ASC" })).filter((c) =>
          canSeePerson(caller, c.personId, c.regionCode),
        ),
      (c) => c.personId,
    ),
    reliefByPerson: groupLoader(
      async (ids: readonly string[]) =>
        (await findAll(relief, { personId: In([...ids]) }, { since: "ASC", id: "ASC" })).filter((r) =>
          canSeePerson(caller, r.personId, r.regionCode),
        ),
      (r) => r.personId,
    ),
  };
}

export type CivilAffairsLoaders = ReturnType<typeof createLoaders>;
export type CivilAffairsContext = SubgraphContext<CivilAffairsLoaders>;
