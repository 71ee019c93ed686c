import { In } from "typeorm";
import { canSeeRecord } from "../../../shared/src/auth/authorize";
import type { Caller } from "../../../shared/src/auth/caller";
import type { Database } from "../../../shared/src/database";
import { findAll, groupLoader, uniqueLoader } from "../../../shared/src/loaders";
import type { SubgraphContext } from "../../../shared/src/service";
import { AssistanceEnrollmentRecord } from "./assistance/assistance-enrollment.entity";
import { AssociationMemberRecord } from "./association/association-member.entity";
import { BirthPermitRecord } from "./birth-permit/birth-permit.entity";
import { MigrationRecord } from "./migrant/migrant-record.entity";
import { certificatePersonIds, OnlyChildCertificateRecord } from "./only-child-certificate/only-child-certificate.entity";

/**
 * Per request: one loader per record kind keyed by person id, so N people cost one statement per kind.
 * Records outside the caller's jurisdiction are dropped (row-level access).
 */
export function createLoaders(db: Database, caller: Caller) {
  const visible = <R extends { regionCode: string }>(personIds: (r: R) => (string | null)[]) => (r: R) =>
    canSeeRecord(caller, personIds(r), r.regionCode);
  const certificates = db.dataSource.getRepository(OnlyChildCertificateRecord);
  const permits = db.dataSource.getRepository(BirthPermitRecord);
  const enrollments = db.dataSource.getRepository(AssistanceEnrollmentRecord);
  const migrations = db.dataSource.getRepository(MigrationRecord);
  const members = db.dataSource.getRepository(AssociationMemberRecord);
  return {
    onlyChildCertificatesByPerson: groupLoader(
      (ids: readonly string[]) =>
        findAll(certificates, [{ fatherPersonId: In([...ids]) }, { motherPersonId: In([...ids]) }, { childPersonId: In([...ids]) }], { issuedOn: "ASC", number: "ASC" }).then((rows) => rows.filter(visible(certificatePersonIds))),
      certificatePersonIds,
    ),
    birthPermitsByPerson: groupLoader(
      (ids: readonly string[]) =>
        findAll(permits, [{ wifePersonId: In([...ids]) }, { husbandPersonId: In([...ids]) }], { approvedOn: "ASC", number: "ASC" }).then((rows) => rows.filter(visible((p) => [p.wifePersonId, p.husbandPersonId]))),
      (p) => (p.husbandPersonId && p.husbandPersonId !== p.wifePersonId ? [p.wifePersonId, p.husbandPersonId] : p.wifePersonId),
    ),
    assistanceByPerson: groupLoader(
      (ids: readonly string[]) => findAll(enrollments, { personId: In([...ids]) }, { since: "ASC", id: "ASC" })
          .then((rows) => rows.filter(visible((e) => [e.personId]))),
      (e) => e.personId,
    ),
    migrationsByPerson: groupLoader(
      (ids: readonly string[]) => findAll(migrations, { personId: In([...ids]) }, { movedOn: "ASC", id: "ASC" })
          // A move is visible to both ends: the county it left and the county it reached.
          .then((rows) =>
            rows.filter((m) => canSeeRecord(caller, [m.personId], m.fromRegionCode) || canSeeRecord(caller, [m.personId], m.toRegionCode)),
          ),
      (m) => m.personId,
    ),
    associationMemberByPerson: uniqueLoader(
      (ids: readonly string[]) => findAll(members, { personId: In([...ids]) }).then((rows) => rows.filter(visible((m) => [m.personId]))),
      (m) => m.personId,
    ),
  };
}

export type PopulationLoaders = ReturnType<typeof createLoaders>;
export type PopulationContext = SubgraphContext<PopulationLoaders>;
