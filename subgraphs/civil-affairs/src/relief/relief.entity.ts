import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from "typeorm";

/** 低保 / 特困供养 enrollment of one person. */
@Entity("relief_enrollment")
@Index(["personId"])
@Index(["regionCode"])
export class ReliefEnrollmentRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  personId: string;

  /** 农村低保, 城市低保, 特困供养 */
  @Column({ type: "varchar", length: 32 })
  program: string;

  @Column({ type: "date" })
  since: string;

  @Column({ type: "date", nullable: true })
  until: string | null;

  @Column({ type: "varchar", length: 12 })
  regionCode: string;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
