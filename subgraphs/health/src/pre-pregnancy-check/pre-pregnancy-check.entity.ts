import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, VersionColumn } from "typeorm";

/**
 * 孕前优生健康检查: one free check of a couple planning a pregnancy. The man may be absent (checked alone,
 * or not identified). `id` is a random UUID (node:crypto randomUUID) given when the check is recorded: a
 * check has no number of its own, and a sequence would leak how many checks each institution makes.
 */
@Entity("pre_pregnancy_check")
@Index(["womanPersonId"])
@Index(["manPersonId"])
@Index(["regionCode", "checkedOn"])
export class PrePregnancyCheckRecord {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id: string;

  @Column({ type: "date" })
  checkedOn: string;

  @Column({ type: "varchar", length: 18 })
  womanIdNumber: string;

  @Column({ type: "varchar", length: 32 })
  womanPersonId: string;

  @Column({ type: "varchar", length: 18, nullable: true })
  manIdNumber: string | null;

  @Column({ type: "varchar", length: 32, nullable: true })
  manPersonId: string | null;

  @Column({ type: "varchar", length: 100 })
  institution: string;

  /** Where the couple lives: coverage is counted against the town's target from this code. */
  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @Column({ type: "boolean" })
  riskFound: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
