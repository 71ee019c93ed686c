import { In } from "typeorm";
import { canSeePerson, inJurisdiction } from "../../../shared/src/auth/authorize";
import type { Caller } from "../../../shared/src/auth/caller";
import type { Database } from "../../../shared/src/database";
import { findAll, groupLoader, uniqueLoader } from "../../../shared/src/loaders";
import type { SubgraphContext } from "../../../shared/src/service";
import { BirthRegistrationRecord } from "./birth-registration/birth-registration.entity";
import { HouseholdRecord } from "./household/household.entity";
import { PersonRecord } from "./person/person.entity";

/**
 * Per-request loaders. Rows outside the caller's jurisdiction are dropped here, so every path that reaches
 * a person or household (lookups, references, lists of members) applies the same row-level rule, and an
 * invisible person is indistinguishable from one that does not exist.
 */
export function createLoaders(db: Database, caller: Caller) {
  const people = db.dataSource.getRepository(PersonRecord);
  const households = db.dataSource.getRepository(HouseholdRecord);
  const registrations = db.dataSource.getRepository(BirthRegistrationRecord);
  const visiblePerson = (p: PersonRecord) => canSeePerson(caller, p.id, p.hukouRegionCode);
  return {
    personById: uniqueLoader(
      async (ids: readonly string[]) => (await findAll(people, { id: In([...ids]) })).filter(visiblePerson),
      (p) => p.id,
    ),
    householdByNumber: uniqueLoader(
      async (numbers: readonly string[]) =>
        (await findAll(households, { householdNumber: In([...numbers]) })).filter((h) => inJurisdiction(caller, h.regionCode)),
      (h) => h.householdNumber,
    ),
    membersByHousehold: groupLoader(
      async (numbers: readonly string[]) =>
        (await findAll(people, { householdNumber: In([...numbers]) }, { id: "ASC" })).filter(visiblePerson),
      (p) => p.householdNumber as string,
    ),
    birthRegistrationByCertificate: uniqueLoader(
      (numbers: readonly string[]) => findAll(registrations, { certificateNumber: In([...numbers]) }),
      (r) => r.certificateNumber,
    ),
  };
}

export type PublicSecurityLoaders = ReturnType<typeof createLoaders>;
export type PublicSecurityContext = SubgraphContext<PublicSecurityLoaders>;
