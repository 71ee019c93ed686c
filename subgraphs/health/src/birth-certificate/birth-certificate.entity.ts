import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { Sex } from "../../../../shared/src/graphql/common";

/**
 * 出生医学证明, issued by the delivering institution (母婴保健法 Art. 23). A newborn has no ID number until
 * 落户, so the certificate links to the parents: their ID numbers as written on it, and the platform
 * pseudonyms computed from them (shared/src/person-id.ts) through which `Person.birthsGiven` joins.
 */
@Entity("birth_certificate")
@Index(["motherPersonId"])
@Index(["fatherPersonId"])
@Index(["regionCode", "birthDate"])
export class BirthCertificateRecord {
  @PrimaryColumn({ type: "varchar", length: 20 })
  certificateNumber: string;

  @Column({ type: "varchar", length: 64 })
  childName: string;

  @Column({ type: "varchar", length: 6 })
  sex: Sex;

  @Column({ type: "date" })
  birthDate: string;

  /**
   * 孩次, fixed when the certificate is issued from the mother's earlier live births. Stored rather than
   * derived at read time so that the sex ratio by birth order does not shift when older records are corrected.
   */
  @Column({ type: "int" })
  birthOrder: number;

  @Column({ type: "varchar", length: 100 })
  institution: string;

  /** Where the mother lives (a division code, usually 9 or 12 digits). */
  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @Column({ type: "varchar", length: 18 })
  motherIdNumber: string;

  @Column({ type: "varchar", length: 32 })
  motherPersonId: string;

  @Column({ type: "varchar", length: 18, nullable: true })
  fatherIdNumber: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  fatherPersonId: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
