import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";
import type { MarriageRecordKind } from "./marriage.enums";

/** 结婚登记 / 离婚登记. Both spouses are kept by pseudonymous id (to join) and by ID number (the register's own record). */
@Entity("marriage_record")
@Index(["husbandPersonId"])
@Index(["wifePersonId"])
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
