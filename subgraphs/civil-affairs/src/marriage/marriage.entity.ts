import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { MarriageRecordKind } from "./marriage.enums";

/**
 * 结婚登记 / 离婚登记. Both spouses are kept by pseudonymous id (to join) and by ID number (the register's own record).
 * Each spouse's index also holds the day, the kind and the other spouse (and, in InnoDB, the registration
 * number): the marital-status comparison reads a range of persons' registrations from the index alone.
 */
@Entity("marriage_record")
// Named: typeorm would derive one name for both from their (equal) sets of columns.
@Index("IDX_marriage_record_husband_day_kind_wife", ["husbandPersonId", "registeredOn", "kind", "wifePersonId"])
@Index("IDX_marriage_record_wife_day_kind_husband", ["wifePersonId", "registeredOn", "kind", "husbandPersonId"])
@Index(["regionCode", "registeredOn"])
export class MarriageRecordRow {
  @PrimaryColumn({ type: "varchar", length: 32 })
  registrationNumber: string;

  @Column({ type: "varchar", length: 10 })
  kind: MarriageRecordKind;

  @Column({ type: "date" })
  registeredOn: string;

  @Column({ type: "varchar", length: 32 })
  husbandPersonId: string;

  @Column({ type: "varchar", length: 18 })
  husbandIdNumber: string;

  @Column({ type: "varchar", length: 32 })
  wifePersonId: string;

  @Column({ type: "varchar", length: 18 })
  wifeIdNumber: string;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
