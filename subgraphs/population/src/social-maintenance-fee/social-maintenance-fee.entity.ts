import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { SocialMaintenanceFeeStatus } from "./social-maintenance-fee.enums";

/**
 * 社会抚养费 征收决定: a fee decided for a birth against policy. It is decided by the county 计生 department of
 * the residence, the hukou place, or whichever finds the birth first, and never collected twice for one birth
 * (征收管理办法 Arts. 3–4): the birth is identified by its 出生医学证明 number or by the child's person id, and
 * each is UNIQUE here, so a second decision for the same birth fails in the database even when two clerks
 * decide at once. (NULLs do not collide: a case may know only one of the two.)
 */
@Entity("social_maintenance_fee")
@Index(["birthCertificateNumber"], { unique: true })
@Index(["childPersonId"], { unique: true })
@Index(["motherPersonId"])
@Index(["fatherPersonId"])
@Index(["decidingCountyCode"])
export class SocialMaintenanceFeeRecord {
  /** A random UUID given when the decision is recorded. */
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ type: "varchar", length: 20, nullable: true })
  birthCertificateNumber: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  childPersonId: string | null;

  @Column({ type: "date", nullable: true })
  childBirthDate: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  motherPersonId: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  fatherPersonId: string | null;

  /** The six-digit code of the county whose 计生 department decided. */
  @Column({ type: "varchar", length: 6 })
  decidingCountyCode: string;

  @Column({ type: "date" })
  decidedOn: string;

  @Column({ type: "int" })
  amountYuan: number;

  @Column({ type: "int", default: 0 })
  paidYuan: number;

  @Column({ type: "date", nullable: true })
  lastPaidOn: string | null;

  @Column({ type: "varchar", length: 16 })
  status: SocialMaintenanceFeeStatus;

  /** The operator (token subject) who recorded the decision. */
  @Column({ type: "varchar", length: 128 })
  recordedBy: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}

/** The persons a case concerns, each once: it appears in each one's family-planning profile. */
export function feeCasePersonIds(record: SocialMaintenanceFeeRecord): string[] {
  return [...new Set([record.motherPersonId, record.fatherPersonId, record.childPersonId].filter((id): id is string => !!id))];
}
