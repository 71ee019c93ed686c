import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";

/**
 * 生育登记 / 再生育审批: the family-planning department's record that a couple may have a given child.
 * Approval is the county's (DOMAIN.md, 单独二孩); from 2016-01-01 a first or second child needs only 生育登记.
 */
@Entity("birth_permit")
@Index(["wifePersonId"])
@Index(["husbandPersonId"])
@Index(["regionCode"])
export class BirthPermitRecord {
  @PrimaryColumn({ type: "varchar", length: 32 })
  number: string;

  /** e.g. 生育登记, 再生育审批(单独二孩) */
  @Column({ type: "varchar", length: 32 })
  kind: string;

  @Column({ type: "date" })
  approvedOn: string;

  @Column({ type: "varchar", length: 32 })
  wifePersonId: string;

  /** Null when the husband is unknown to the platform (e.g. a foreign national). */
  @Column({ type: "varchar", length: 32, nullable: true })
  husbandPersonId: string | null;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  /** 孩次 the permit is for: 1 for the couple's first child, 2 for a second ... */
  @Column({ type: "int" })
  birthOrder: number;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
