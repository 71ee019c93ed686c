import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";

/**
 * 独生子女父母光荣证: issued to the parents of an only child. Either parent may be unknown to this
 * department (single-parent families), and the child may have no ID number yet, hence the nullable ids.
 * Person ids are the platform pseudonyms (shared/src/person-id.ts).
 */
@Entity("only_child_certificate")
@Index(["fatherPersonId"])
@Index(["motherPersonId"])
@Index(["childPersonId"])
@Index(["regionCode"])
export class OnlyChildCertificateRecord {
  @PrimaryColumn({ type: "varchar", length: 32 })
  number: string;

  @Column({ type: "date" })
  issuedOn: string;

  @Column({ type: "varchar", length: 32, nullable: true })
  fatherPersonId: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  motherPersonId: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  childPersonId: string | null;

  /** The issuing township or county. */
  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}

/** The persons a certificate concerns, each once: a person's profile lists it whichever role they hold. */
export function certificatePersonIds(certificate: OnlyChildCertificateRecord): string[] {
  const ids = [certificate.fatherPersonId, certificate.motherPersonId, certificate.childPersonId].filter((id): id is string => !!id);
  return [...new Set(ids)];
}
